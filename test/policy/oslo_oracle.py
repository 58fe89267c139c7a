"""Differential-test oracle: decides policy cases with the real oslo.policy.

Reads one JSON document on stdin:
  {"cases": [{"rules": {name: text}, "action": str, "target": {}, "credentials": {}}],
   "rules": [text, ...]}
and writes one JSON document on stdout:
  {"decisions": ["allow" | "deny" | "error", ...], "errors": [str | null, ...],
   "parsed": [str(oslo's parse tree), ...]}

Run with the Debian interpreter (/usr/bin/python3), which has python3-oslo.policy.
"""
import json
import logging
import sys

from oslo_config import cfg
from oslo_policy import _parser
from oslo_policy import policy

DEFAULT_RULE = 'default'


def decide(enforcer, case):
    rules = policy.Rules.from_dict(case['rules'], DEFAULT_RULE)
    enforcer.set_rules(rules, use_conf=False)
    try:
        allowed = enforcer.enforce(case['action'], case['target'], case['credentials'])
    except Exception as error:  # oslo lets evaluation faults escape; strata denies
        return 'error', '%s: %s' % (type(error).__name__, error)
    return ('allow' if allowed else 'deny'), None


def main():
    # oslo logs every unparsable rule; the decisions are what this oracle reports.
    logging.disable(logging.CRITICAL)
    request = json.load(sys.stdin)
    enforcer = policy.Enforcer(cfg.ConfigOpts(), use_conf=False, default_rule=DEFAULT_RULE)
    outcomes = [decide(enforcer, case) for case in request.get('cases', [])]
    json.dump({
        'decisions': [decision for decision, _ in outcomes],
        'errors': [error for _, error in outcomes],
        'parsed': [str(_parser.parse_rule(text)) for text in request.get('rules', [])],
    }, sys.stdout)


if __name__ == '__main__':
    main()
