"""Rules about Mashery-style request signature validation (spec §1.3, §5).

Rules: signature-algorithm-invalid, signature-secret-missing, signature-clock-skew-negative,
signature-secret-plaintext, signature-query-implicit, signature-header-missing.
Only signature settings that are in effect (``validate_signature`` / ``signatureValidation.
enabled`` true on an Auth Token config in use) are checked.
"""

from __future__ import annotations

from oascompile.ir import MASHERY_ALGORITHMS
from oascompile import pointer as jp
from oascompile.lint.context import LintContext
from oascompile.lint.registry import Example, rule
from oascompile.lint.rules._common import CLASSIC_HEAD, oas_doc, relevant_tokens

SECRET_PREFIXES = ("$tyk_meta.", "$tyk_context.", "$secret_", "secrets://", "env://",
                   "consul://", "vault://")


def _signed(ctx: LintContext):
    for token in relevant_tokens(ctx):
        if token.signature.enabled:
            yield token


def _classic(sig: str) -> str:
    return (CLASSIC_HEAD + "auth_configs:\n  authToken:\n    name: authToken\n"
            "    validate_signature: true\n    signature:\n" + sig)


GOOD = ("      algorithm: MasherySHA256\n      header: X-Signature\n"
        "      secret: $tyk_meta.sig_secret\n      allowed_clock_skew: 30\n")


@rule(
    id="signature-algorithm-invalid",
    severity="error",
    summary="The signature algorithm is not `MasherySHA256` or `MasheryMD5`: HTTP 500.",
    what="""
        Flags signature validation with an algorithm other than exactly `MasherySHA256` or
        `MasheryMD5` (case-sensitive; empty counts).
    """,
    why="""
        The algorithm is not checked when the API is loaded (the extension schema has no enum
        for it); at request time an unknown name makes every request fail with HTTP 500
        `internal server error` (gateway/mw_auth_key.go::validateSignature, spec §5 step 2,
        quirk 30, bug B12 `MasherySha256`).
    """,
    fix="Use `MasherySHA256` (or `MasheryMD5`), spelled exactly.",
    failing=[Example(_classic(GOOD.replace("MasherySHA256", "MasherySha256")), 8, 7)],
    passing=[Example(_classic(GOOD))],
    references=("spec §5, §8 quirk 30", "gateway/mw_auth_key.go::validateSignature"),
)
def signature_algorithm_invalid(ctx: LintContext) -> None:
    import difflib

    from oascompile import pointer as jp

    for token in _signed(ctx):
        alg = token.signature.algorithm
        raw = jp.resolve(ctx.data, token.signature.ptr["algorithm"], None)
        if raw is not None and not isinstance(raw, str):
            continue  # a wrong type: the schema rules report it as such
        if alg not in MASHERY_ALGORITHMS:
            close = [a for a in MASHERY_ALGORITHMS if a.lower() == alg.lower()] or \
                difflib.get_close_matches(alg, MASHERY_ALGORITHMS, n=1)
            ctx.report(token.signature.ptr["algorithm"],
                       f"{token.label}: signature algorithm {alg!r} is not supported; every "
                       "request fails with HTTP 500",
                       f"did you mean `{close[0]}`?" if close else
                       "use MasherySHA256 or MasheryMD5")


@rule(
    id="signature-secret-missing",
    severity="error",
    summary="Signature validation is on without a secret: every request fails.",
    what="Flags signature validation with an empty `secret`.",
    why="""
        The expected digest is built from key + secret + timestamp; with an empty secret the
        gateway rejects every request with the signature error (401 by default)
        (gateway/mw_auth_key.go::validateSignature, spec §5 step 5).
    """,
    fix="Set `secret`, preferably to a reference such as `$tyk_meta.sig_secret` or `$secret_env.NAME`.",
    failing=[Example(_classic(GOOD.replace("      secret: $tyk_meta.sig_secret\n", "")), 7, 5)],
    passing=[Example(_classic(GOOD))],
    references=("spec §5 step 5", "gateway/mw_auth_key.go::validateSignature"),
)
def signature_secret_missing(ctx: LintContext) -> None:
    for token in _signed(ctx):
        raw = jp.resolve(ctx.data, token.signature.ptr["secret"], None)
        if raw is not None and not isinstance(raw, str):
            continue  # set, but not a string: the schema rule reports the type
        if not token.signature.secret:
            ctx.report(token.signature.ptr["secret"], f"{token.label}: signature validation is "
                       "on but the secret is empty; every request is rejected",
                       "set the signature secret")


@rule(
    id="signature-clock-skew-negative",
    severity="error",
    summary="A negative allowed clock skew rejects every signature.",
    what="Flags a negative `allowed_clock_skew` / `allowedClockSkew`.",
    why="""
        Accepted timestamps are now±S; with S < 0 the window is empty and no signature ever
        matches (signature_validator/validate.go::Validate, spec §5 step 7, quirk 33).
    """,
    fix="Use 0 (current second only) or a small positive number of seconds.",
    failing=[Example(_classic(GOOD.replace("30", "-5")), 11, 7)],
    passing=[Example(_classic(GOOD))],
    references=("spec §5 step 7, §8 quirk 33", "signature_validator/validate.go::Validate"),
)
def signature_clock_skew_negative(ctx: LintContext) -> None:
    for token in _signed(ctx):
        skew = token.signature.allowed_clock_skew
        if isinstance(skew, (int, float)) and not isinstance(skew, bool) and skew < 0:
            ctx.report(token.signature.ptr["allowed_clock_skew"],
                       f"{token.label}: allowed clock skew {skew} is negative; no signature is "
                       "ever accepted", "use 0 or a positive number of seconds")


@rule(
    id="signature-secret-plaintext",
    severity="warning",
    summary="The signature secret is written in plain text in the API definition.",
    what="""
        Flags a signature secret that is not a reference (`$tyk_meta.…`, `$tyk_context.…`,
        `$secret_…`, or a KV store reference).
    """,
    why="""
        The secret can be substituted at request time from session metadata, the context,
        or a secret store (spec §1.3, §5 step 5); a literal value in the definition leaks to
        everyone who can read the definition, its Git history or the Dashboard export.
    """,
    fix="Use a per-key secret `$tyk_meta.<field>` or a secret-store reference.",
    failing=[Example(_classic(GOOD.replace("$tyk_meta.sig_secret", "s3cret")), 10, 7),
             Example(_classic(GOOD), 10, 7, options={"reference-prefixes": ["$secret_"]})],
    passing=[Example(_classic(GOOD)),
             Example(_classic(GOOD.replace("$tyk_meta.sig_secret", "vault://sig")),
                     options={"reference-prefixes": ["vault://"]})],
    options={"reference-prefixes": list(SECRET_PREFIXES)},
    option_types={"reference-prefixes": "list[str]"},
    option_docs={"reference-prefixes": "secret values starting with one of these prefixes "
                 "count as references, not plain text"},
    references=("spec §1.3, §5 step 5",),
)
def signature_secret_plaintext(ctx: LintContext) -> None:
    for token in _signed(ctx):
        secret = token.signature.secret
        prefixes = tuple(ctx.options.get("reference-prefixes", SECRET_PREFIXES))
        if secret and not secret.startswith(prefixes):
            ctx.report(token.signature.ptr["secret"], f"{token.label}: the signature secret is "
                       "in plain text in the definition", "use $tyk_meta.<field> or a secret reference")


@rule(
    id="signature-query-implicit",
    severity="warning",
    summary="A signature parameter name enables query signatures although `use_param` is false.",
    what="Flags a non-empty signature `param_name` with `use_param: false`.",
    why="""
        The gateway reads the signature from the query string when `use_param` is true **or**
        `param_name` is non-empty, so the parameter overrides the header although the config
        says it is off (gateway/mw_auth_key.go::validateSignature, spec §5 step 3, quirk 31).
    """,
    fix="Clear `param_name`, or set `use_param: true` to say what happens.",
    failing=[Example(_classic(GOOD + "      use_param: false\n      param_name: sig\n"), 13, 7)],
    passing=[Example(_classic(GOOD + "      use_param: true\n      param_name: sig\n"))],
    references=("spec §5 step 3, §8 quirk 31", "gateway/mw_auth_key.go::validateSignature"),
)
def signature_query_implicit(ctx: LintContext) -> None:
    for token in _signed(ctx):
        sig = token.signature
        if sig.param_name and not sig.use_param:
            ctx.report(sig.ptr["param_name"], f"{token.label}: signature parameter "
                       f"`{sig.param_name}` is read from the query although use_param is false",
                       "clear param_name or set use_param: true")


@rule(
    id="signature-header-missing",
    severity="error",
    summary="Signature validation is on but no signature header or parameter is named.",
    what="Flags signature validation with an empty `header` and no query parameter.",
    why="""
        The signature is read from the named header (and parameter); with neither, it is
        always empty and every request fails with the signature error
        (gateway/mw_auth_key.go::validateSignature, spec §5 steps 3–4).
    """,
    fix="Set the signature `header`, e.g. `X-Signature`.",
    failing=[Example(_classic(GOOD.replace("      header: X-Signature\n", "")), 7, 5),
             Example(oas_doc("    key: {type: apiKey, in: header, name: X-API-Key}\n",
                             "        key:\n          enabled: true\n"
                             "          signatureValidation: {enabled: true, algorithm: "
                             "MasheryMD5, secret: $tyk_meta.s}\n"), 19, 11)],
    passing=[Example(_classic(GOOD))],
    references=("spec §5 steps 3-4", "gateway/mw_auth_key.go::validateSignature"),
)
def signature_header_missing(ctx: LintContext) -> None:
    for token in _signed(ctx):
        sig = token.signature
        if not sig.header and not sig.param_name:
            ctx.report(sig.ptr["header"], f"{token.label}: signature validation is on but no "
                       "signature header or parameter is named; every request is rejected",
                       "set the signature header")


