#!/usr/bin/python3
"""The keyword classifier of plugins/internal/keywords, in Python: the
Python side of BenchmarkClassify and of the Python plugin tests. The tests
copy it next to a copy of sdk/python/heard_plugin and a model.txt, a file
it declares so that heard's checksum covers it."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))

import heard_plugin  # noqa: E402
from heard_plugin import pb  # noqa: E402

RULES = (
    ("outage", "priority", "P0"),
    ("down", "priority", "P1"),
    ("refund", "product_area", "billing"),
    ("invoice", "product_area", "billing"),
    ("password", "product_area", "account"),
)


def classify(req, context):
    t = req.ticket
    text = "\n".join([t.subject.lower()] + [m.body.lower() for m in t.messages])
    seen, out = set(), []
    for word, field, value in RULES:
        if field not in seen and word in text:
            seen.add(field)
            out.append(pb.Prediction(field=field, value=value, confidence=0.7, reason="mentions " + word))
    return pb.ClassifyResponse(predictions=out)


heard_plugin.serve(name="keywords", version="1.0.0", classify=classify, files=["model.txt"])
