// A page that throws while rendering shows what broke, and the navigation stays usable
// (the boundary wraps the page only, and resets when the route changes).
import { Component, type ReactNode } from 'react';
import { Notice } from './Notice';

interface Props {
  /** Changes with the route, so moving to another page clears the error. */
  resetKey: string;
  children: ReactNode;
}

export class ErrorBoundary extends Component<Props, { error: Error | null; resetKey: string }> {
  override state = { error: null as Error | null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: { error: Error | null; resetKey: string }) {
    return props.resetKey === state.resetKey ? null : { error: null, resetKey: props.resetKey };
  }

  override render(): ReactNode {
    if (this.state.error) return <Notice kind="error">This page failed: {this.state.error.message}</Notice>;
    return this.props.children;
  }
}
