#!/usr/bin/python3
"""vip: raises the priority of VIP and premium-plan tickets.

The Python twin of sdk/examples/vip: the same settings, the same answers.
heard launches it with an empty environment, hence the absolute
interpreter path above and the sys.path line below.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", ".."))

import heard_plugin  # noqa: E402  (first: it guards stdout)
from heard_plugin import Invalid, pb  # noqa: E402

VERSION = "1.0.0"
PRIORITIES = ("P0", "P1", "P2", "P3")
FIELD_PRIORITY = "priority"
FIELD_SECONDARY_TAG = "tag.secondary"
KNOWN = {"plans", "vip_domains", "vip_emails", "mrr_at_least", "vip_priority", "tag", "confidence"}


def parse_settings(raw):
    """Checks raw (a dict) and fills defaults; raises Invalid."""
    unknown = sorted(set(raw) - KNOWN)
    if unknown:
        raise Invalid(f"vip settings: unknown field {unknown[0]!r}")
    s = {
        "plans": {str(k).lower(): str(v) for k, v in (raw.get("plans") or {}).items()},
        "vip_domains": [str(d) for d in raw.get("vip_domains") or []],
        "vip_emails": [str(e) for e in raw.get("vip_emails") or []],
        "mrr_at_least": float(raw.get("mrr_at_least") or 0),
        "vip_priority": str(raw.get("vip_priority") or "P1"),
        "tag": str(raw.get("tag") or "vip"),
        "confidence": float(raw.get("confidence") or 0.85),
    }
    errs = []
    if s["vip_priority"].strip().upper() not in PRIORITIES:
        errs.append(f"vip_priority: priority {s['vip_priority']!r}: want one of P0, P1, P2, P3")
    for plan, p in sorted(s["plans"].items()):
        if p.strip().upper() not in PRIORITIES:
            errs.append(f"plans.{plan}: priority {p!r}: want one of P0, P1, P2, P3")
    if not 0 <= s["confidence"] <= 1:
        errs.append(f"confidence {s['confidence']:g}: want 0..1")
    if errs:
        raise Invalid("vip settings: " + "; ".join(errs))
    return s


def _num(x):
    return str(int(x)) if float(x).is_integer() else repr(x)


def vip_reasons(s, t):
    """Says why the requester is a VIP, if they are."""
    out = []
    email = t.requester.email.lower()
    if email and any(e.lower() == email for e in s["vip_emails"]):
        out.append("requester is on the VIP list")
    if "@" in email:
        domain = email.split("@", 1)[1]
        if any(d.lower() == domain for d in s["vip_domains"]):
            out.append(f"requester domain {domain} is a VIP domain")
    if s["mrr_at_least"] > 0:
        raw = t.customer.get("mrr", "")
        try:
            mrr = float(raw)
        except ValueError:
            mrr = None
        if mrr is not None and mrr >= s["mrr_at_least"]:
            out.append(f"MRR {raw} is at least {_num(s['mrr_at_least'])}")
    return out


def wants(fields, field, value):
    """Whether the request asks for field and allows value; no fields asks for all."""
    if not fields:
        return True
    for f in fields:
        if f.name == field:
            return not f.allowed or value in f.allowed
    return False


class Booster:
    """Never lowers a priority. Safe for concurrent use: settings are
    replaced whole, never changed in place."""

    def __init__(self):
        self.settings = None

    def configure(self, raw, _req=None):
        self.settings = parse_settings(raw)

    def classify(self, req, context=None):
        s = self.settings
        if context is not None and not context.is_active():
            raise heard_plugin.DeadlineExceeded("call cancelled")
        if s is None or not req.HasField("ticket"):
            return pb.ClassifyResponse()
        t = req.ticket
        target, why = "", []

        def raise_to(p, reason):
            nonlocal target
            if not target or p < target:  # "P0" < "P1": more urgent
                target = p
            why.append(reason)

        plan = t.customer.get("plan", "").lower()
        if plan and plan in s["plans"]:
            p = s["plans"][plan].strip().upper()
            raise_to(p, f'plan "{plan}" gets at least {p}')
        vip = vip_reasons(s, t)
        if vip:
            raise_to(s["vip_priority"].strip().upper(), ", ".join(vip))
        preds = []
        current = t.priority
        if target and (not current or target < current) and wants(req.fields, FIELD_PRIORITY, target):
            preds.append(pb.Prediction(field=FIELD_PRIORITY, value=target, confidence=s["confidence"],
                                       reason="boosted: " + "; ".join(why)))
        if vip and s["tag"] != "-" and wants(req.fields, FIELD_SECONDARY_TAG, s["tag"]):
            preds.append(pb.Prediction(field=FIELD_SECONDARY_TAG, value=s["tag"], confidence=s["confidence"],
                                       reason="VIP: " + ", ".join(vip)))
        return pb.ClassifyResponse(predictions=preds)


def main():
    b = Booster()
    heard_plugin.serve(name="vip-py", version=VERSION,
                       description="raises the priority of VIP and premium-plan tickets (Python)",
                       classify=b.classify, configure=b.configure)


if __name__ == "__main__":
    main()
