"""Unit tests of the helper's pieces; the Go tests in sdk/python launch it."""

import base64
import os
import subprocess
import sys
import unittest

import grpc
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

import heard_plugin
from heard_plugin import _tls, _wire, errors, pb
from heard_plugin._serve import Plugin, files_to_declare, negotiate

HERE = os.path.dirname(os.path.realpath(__file__))


class NegotiateTest(unittest.TestCase):
    def test_cases(self):
        clf = Plugin("a", "1", classify=lambda r, c: None)
        enr = Plugin("b", "1", enrich=lambda r, c: None)
        cases = [
            (clf, "1,2", 2), (clf, "2,1", 2), (clf, "1", 1), (clf, "3", None), (clf, "", None),
            (enr, "1,2", 2), (enr, "1", None), (clf, "x, 1", 1),
        ]
        for plugin, offered, want in cases:
            with self.subTest(plugin=plugin.name, offered=offered):
                self.assertEqual(negotiate(plugin, offered), want)

    def test_kinds(self):
        both = Plugin("c", "1", classify=lambda r, c: None, enrich=lambda r, c: None)
        self.assertEqual(both.kinds(1), ["classifier"])
        self.assertEqual(both.kinds(2), ["classifier", "enricher"])

    def test_needs_a_capability(self):
        with self.assertRaises(ValueError):
            Plugin("d", "1")


class StatusTest(unittest.TestCase):
    def decode(self, exc):
        code, message, trailers = errors.status_of(exc)
        self.assertEqual(trailers[0][0], "grpc-status-details-bin")
        st = _wire.Status.FromString(trailers[0][1])
        self.assertEqual(st.code, code.value[0])
        self.assertEqual(st.message, message)
        self.assertEqual(len(st.details), 1)
        self.assertEqual(st.details[0].type_url, "type.googleapis.com/heard.plugin.v1.ErrorInfo")
        info = pb.ErrorInfo.FromString(st.details[0].value)
        return code, message, info

    def test_codes(self):
        cases = [
            (heard_plugin.NotFound("x"), grpc.StatusCode.NOT_FOUND),
            (heard_plugin.Invalid("x"), grpc.StatusCode.INVALID_ARGUMENT),
            (heard_plugin.Unauthorized("x"), grpc.StatusCode.UNAUTHENTICATED),
            (heard_plugin.Unavailable("x"), grpc.StatusCode.UNAVAILABLE),
            (heard_plugin.DeadlineExceeded("x"), grpc.StatusCode.DEADLINE_EXCEEDED),
            (heard_plugin.Unsupported("x"), grpc.StatusCode.UNIMPLEMENTED),
            (heard_plugin.PluginError("x"), grpc.StatusCode.UNKNOWN),
            (KeyError("plan"), grpc.StatusCode.UNKNOWN),
        ]
        for exc, want in cases:
            with self.subTest(exc=repr(exc)):
                code, _, info = self.decode(exc)
                self.assertEqual(code, want)
                self.assertFalse(info.HasField("retry_after"))

    def test_bug_message_names_the_exception(self):
        _, message, _ = self.decode(KeyError("plan"))
        self.assertEqual(message, "KeyError: 'plan'")

    def test_retry_after(self):
        code, _, info = self.decode(heard_plugin.RetryAfter(1.5, heard_plugin.Unavailable("rate limited")))
        self.assertEqual(code, grpc.StatusCode.UNAVAILABLE)
        self.assertEqual(info.retry_after.seconds, 1)
        self.assertEqual(info.retry_after.nanos, 500_000_000)
        self.assertEqual(info.cause, "rate limited")
        code, _, info = self.decode(heard_plugin.RetryAfter(3))
        self.assertEqual(code, grpc.StatusCode.RESOURCE_EXHAUSTED)
        self.assertEqual(info.cause, "")


class CertificateTest(unittest.TestCase):
    def test_rules(self):
        cert_pem, key_pem, field = _tls.server_certificate()
        self.assertNotIn("=", field, "the handshake field is unpadded base64")
        der = base64.b64decode(field + "=" * (-len(field) % 4))
        cert = x509.load_der_x509_certificate(der)
        self.assertEqual(cert, x509.load_pem_x509_certificate(cert_pem))
        self.assertEqual(cert.issuer, cert.subject, "self-signed")
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        self.assertEqual(san.get_values_for_type(x509.DNSName), ["localhost"])
        self.assertTrue(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        self.assertIn(ExtendedKeyUsageOID.SERVER_AUTH, list(eku))
        self.assertIn(ExtendedKeyUsageOID.CLIENT_AUTH, list(eku))
        self.assertIn(b"PRIVATE KEY", key_pem)

    def test_fresh_each_time(self):
        self.assertNotEqual(_tls.server_certificate()[2], _tls.server_certificate()[2])


class FilesTest(unittest.TestCase):
    def test_declares_helper_not_system(self):
        files = files_to_declare(Plugin("e", "1", classify=lambda r, c: None, files=["/etc/hostname"]))
        self.assertIn(os.path.realpath(heard_plugin._serve.__file__), files)
        self.assertIn("/etc/hostname", files)
        self.assertFalse([f for f in files if "/dist-packages/" in f or f.startswith("/usr/lib/python3")], files)


class RunByHandTest(unittest.TestCase):
    def test_refuses(self):
        env = {"PYTHONDONTWRITEBYTECODE": "1"}
        r = subprocess.run([sys.executable, os.path.join(HERE, "fixtures", "errors_plugin.py")],
                           env=env, capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 1)
        self.assertIn(b"This binary is a plugin", r.stderr)
        self.assertEqual(r.stdout, b"", "nothing but the handshake may reach stdout")


class VIPTest(unittest.TestCase):
    def setUp(self):
        sys.path.insert(0, os.path.join(HERE, "..", "examples", "vip"))
        import vip
        self.vip = vip

    def test_bad_settings(self):
        for raw, want in [({"plans": {"x": "urgent"}}, "plans.x"), ({"confidence": 2}, "confidence 2"),
                          ({"nope": 1}, "unknown field 'nope'"), ({"vip_priority": "P9"}, "vip_priority")]:
            with self.subTest(raw=raw):
                with self.assertRaises(heard_plugin.Invalid) as cm:
                    self.vip.parse_settings(raw)
                self.assertIn(want, str(cm.exception))

    def test_unconfigured_answers_nothing(self):
        resp = self.vip.Booster().classify(pb.ClassifyRequest(ticket=pb.Ticket(priority="P3")))
        self.assertEqual(len(resp.predictions), 0)


if __name__ == "__main__":
    unittest.main()
