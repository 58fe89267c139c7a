// Reading a submitted form: text fields as strings (a file input yields a File instead).
export function textField(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
