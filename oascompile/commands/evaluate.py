"""``oascompile eval`` and ``oascompile test``: option parsing and wiring only.

The engine (:mod:`oascompile.engine`) does the work; this module reads the inputs (definition,
request, sessions, certificate, clock), builds an :class:`~oascompile.engine.decide.EvalContext`
and prints the result.  Exit codes (cli-contract.md): ``eval`` 0 whenever the evaluation ran;
``test`` 0 all cases pass, 1 any case fails; both 2 on bad input.

Secrets: ``eval --format text`` and the ``test`` reports (text and JUnit) redact tokens, the
values read from the token and signature locations, key ids and signature secrets
(:mod:`oascompile.redact`) unless ``--show-secrets`` is given.  ``eval --format json`` is a
machine contract (cli-contract.md requires ``token``) and is never redacted.
"""

from __future__ import annotations

import json
import sys
from typing import Iterable

import click

from oascompile.commands.common import exits_on_input_error, same_file, write_atomic
from oascompile.engine.clock import DEFAULT_MAX_SKEW_WINDOW, parse_now
from oascompile.errors import EXIT_FINDINGS, InputError
from oascompile.load import DEFAULT_MAX_BYTES, LoadLimits

_SHOW_SECRETS = click.option("--show-secrets", is_flag=True,
                             help="Show tokens, signatures and secrets in text output "
                                  "(redacted by default; JSON output is never redacted).")

_MAX_SIZE = click.option("--max-size", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES,
                         show_default=True,
                         help="Largest accepted input file (definition, request, sessions, "
                              "certificate, cases), in bytes.")

_MAX_SKEW_WINDOW = click.option(
    "--max-clock-skew-window", type=click.IntRange(min=0), default=DEFAULT_MAX_SKEW_WINDOW,
    show_default=True, metavar="SECONDS",
    help="Signature validation tries timestamps at most this many seconds either side of the "
         "clock (Tyk tries all of ±allowed_clock_skew; a larger skew is capped and the output "
         "says so).")

_HASH_FUNCTIONS = ("murmur32", "murmur64", "murmur128", "sha256")
"""Tyk's hash functions (``internal/crypto`` ``hashFunction``; engine.hashing.HASH_FUNCTIONS)."""

_GATEWAY_OPTIONS = [
    click.option("--hash-keys/--no-hash-keys", default=False, show_default=True,
                 help="Gateway hash_keys: sessions are stored under hashed keys."),
    click.option("--hash-key-function", default="", type=click.Choice(("",) + _HASH_FUNCTIONS),
                 metavar="NAME",
                 help="Gateway hash_key_function: murmur32, murmur64, murmur128 or sha256; empty "
                      "(the default) = legacy org+id keys.  Other names are refused (Tyk would "
                      "log an error and fall back to murmur64)."),
    click.option("--hash-key-function-fallback", multiple=True, type=click.Choice(_HASH_FUNCTIONS),
                 metavar="NAME",
                 help="Gateway hash_key_function_fallback (repeatable; same names)."),
    click.option("--min-token-length", type=click.IntRange(min=0), default=0,
                 help="Gateway min_token_length (0 = Tyk's default 3)."),
    click.option("--allow-unsafe-dynamic-mtls-token", is_flag=True, default=False,
                 help="Gateway security.allow_unsafe_dynamic_mtls_token."),
]


def gateway_options(func):  # noqa: ANN001, ANN201 - click decorator
    """Add the gateway options shared by ``eval`` and ``test``."""
    for option in reversed(_GATEWAY_OPTIONS):
        func = option(func)
    return func


def make_options(hash_keys: bool, hash_key_function: str, hash_key_function_fallback: tuple[str, ...],
                 min_token_length: int, allow_unsafe_dynamic_mtls_token: bool):  # noqa: ANN201
    """Build :class:`~oascompile.engine.sessions.GatewayOptions` from the CLI options."""
    from oascompile.engine.sessions import GatewayOptions

    return GatewayOptions(hash_keys=hash_keys, hash_key_function=hash_key_function,
                          hash_key_function_fallback=tuple(hash_key_function_fallback),
                          min_token_length=min_token_length,
                          allow_unsafe_dynamic_mtls_token=allow_unsafe_dynamic_mtls_token)


def read_api(path: str, limits: LoadLimits = LoadLimits()):  # noqa: ANN201
    """Load and read an API definition (Classic or OAS) into the IR; InputError on failure."""
    from oascompile.convert import read_definition
    from oascompile.load import load_document

    return read_definition(load_document(path, limits=limits))


def sensitive_values(api, request, actual: dict, keys: Iterable[str] = ()) -> set[str]:  # noqa: ANN001
    """The values that text output must redact for one evaluation.

    Args:
        api: the :class:`~oascompile.ir.APIDefinition` evaluated.
        request: the :class:`~oascompile.engine.request.Request` evaluated.
        actual: the ``eval --format json`` object of the evaluation (``render.to_json``).
        keys: the evaluation's ``keys_tried`` (every key looked up or used as a signature
            candidate).

    Returns:
        the token, every value read from a token location (with its ``Bearer`` prefix), the
        matched session key, ``keys``, and for each of these the forms a key takes inside
        other strings: without and with the API's org-id prefix, the base64-JSON token
        generated from it with every hash function, and the ``id`` of a base64-JSON token;
        plus every configured signature secret and the signature values the request carries;
        all with their URL-encoded forms (see :func:`oascompile.redact.variants`).
    """
    from oascompile.engine.hashing import HASH_FUNCTIONS, generate_token, token_id
    from oascompile.redact import variants

    token = actual.get("token")
    org = api.identity.org_id if hasattr(api, "identity") else ""
    keys_like = {v for v in [token, actual.get("session_key"), *keys] if v}
    for key in list(keys_like):
        if org and key.startswith(org):
            keys_like.add(key[len(org):])
        tid = token_id(key)
        if tid:
            keys_like.add(tid)
    values: list[str | None] = list(keys_like)
    values += [s.get("value") for s in actual.get("steps", {}).get("extract", [])]
    for key in keys_like:
        values += [generate_token(org, key, fn) for fn in ("",) + HASH_FUNCTIONS]
    auth = api.authentication
    configs = [cfg for _, cfg in (auth.auth_configs or ())]
    if getattr(auth, "auth", None) is not None:
        configs.append(auth.auth)
    for cfg in configs:
        sig = cfg.signature
        values.append(sig.secret)
        if sig.header:
            values.extend(request.header_values(sig.header))
        if sig.use_param and sig.param_name:
            values.append(request.query(sig.param_name))
    return variants(values)


def one_stdin(**inputs: str | None) -> None:
    """Refuse (click usage error, exit 2) when more than one input is ``-``: standard input
    can be read only once.  ``inputs`` maps the name shown to the user to the path given."""
    named = [name for name, path in inputs.items() if path == "-"]
    if len(named) > 1:
        listed = ", ".join(named[:-1]) + " and " + named[-1]
        raise click.UsageError(f"only one input can come from standard input ('-'); {listed} "
                               f"{'both' if len(named) == 2 else 'all'} name it")


def read_bytes(path: str, limits: LoadLimits = LoadLimits()) -> tuple[str, bytes]:
    """Read a file (``-`` = stdin) with the loader's limits and error messages."""
    from oascompile.load import read_source

    return read_source(path, limits)


@click.command("eval")
@click.argument("definition")
@click.option("--request", "request_path", required=True, metavar="REQUEST",
              help="File with one raw HTTP/1.1 request ('-' = stdin).")
@click.option("--sessions", "sessions_path", metavar="SESSIONS",
              help="JSON/YAML file mapping key id to Tyk session object.")
@click.option("--redis", "redis_url", metavar="URL",
              help="Read sessions from this Redis (Tyk key format), e.g. redis://127.0.0.1:6379/0.")
@click.option("--client-cert", "cert_path", metavar="PEM",
              help="Client certificate (PEM, leaf first); implies the request came over TLS.")
@click.option("--tls", is_flag=True, default=False,
              help="The request came over TLS (without --client-cert: TLS but no client certificate).")
@click.option("--now", "now_value", metavar="TIME", help="Gateway clock: RFC 3339 or Unix seconds.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_MAX_SIZE
@_MAX_SKEW_WINDOW
@_SHOW_SECRETS
@gateway_options
@exits_on_input_error
def eval_command(definition: str, request_path: str, sessions_path: str | None, redis_url: str | None,
                 cert_path: str | None, tls: bool, now_value: str | None, fmt: str, max_size: int,
                 max_clock_skew_window: int, show_secrets: bool, **gw: object) -> None:
    """Evaluate one HTTP request against an API definition, the way the Tyk gateway would.

    Prints the token it reads (and from where), the request the upstream receives after
    strip-authorization-data, and the gateway's status and error.  Exit 0 whenever the
    evaluation ran.
    """
    from oascompile.engine.certs import parse_client_certs
    from oascompile.engine.decide import EvalContext, evaluate
    from oascompile.engine.render import to_json, to_text
    from oascompile.engine.request import parse_request
    from oascompile.engine.sessions import FileStore, RedisStore, load_sessions

    if sessions_path and redis_url:
        raise click.UsageError("give either --sessions or --redis, not both")
    one_stdin(**{"DEFINITION": definition, "--request": request_path, "--sessions": sessions_path,
                 "--client-cert": cert_path})
    options = make_options(**gw)  # type: ignore[arg-type]
    limits = LoadLimits(max_bytes=max_size)
    api = read_api(definition, limits)
    name, raw = read_bytes(request_path, limits)
    request = parse_request(raw, name)
    store = None
    if sessions_path:
        store = FileStore(load_sessions(sessions_path, limits), options)
    elif redis_url:
        store = RedisStore(redis_url)
    certs = ()
    if cert_path:
        cname, craw = read_bytes(cert_path, limits)
        certs = parse_client_certs(craw, cname)
    ctx = EvalContext(store=store, certs=certs, tls=tls or bool(certs), now=parse_now(now_value),
                      options=options, max_clock_skew_window=max_clock_skew_window)
    ev = evaluate(api, request, ctx)
    if fmt == "json":
        click.echo(json.dumps(to_json(ev), indent=2, ensure_ascii=False))
    elif show_secrets:
        click.echo(to_text(ev), nl=False)
    else:
        from oascompile.redact import redact_in

        click.echo(redact_in(to_text(ev), sensitive_values(api, request, to_json(ev), ev.keys_tried)),
                   nl=False)


@click.command("test")
@click.argument("definition")
@click.argument("cases")
@click.option("--format", "fmt", type=click.Choice(["text", "junit"]), default="text", show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write the report to FILE (atomically).")
@_MAX_SIZE
@_MAX_SKEW_WINDOW
@_SHOW_SECRETS
@gateway_options
@exits_on_input_error
def test_command(definition: str, cases: str, fmt: str, output: str | None, max_size: int,
                 max_clock_skew_window: int, show_secrets: bool, **gw: object) -> None:
    """Run a YAML file of request cases against an API definition (docs/test-cases.md).

    Each case gives a raw request and the expected token/source/status/error/upstream; every
    case is reported as pass or fail.  Exit 1 if any case fails.
    """
    from oascompile.engine.cases import load_cases, run_cases, to_junit, to_report_text

    one_stdin(DEFINITION=definition, CASES=cases)
    if output == "-":
        output = None  # `-o -` is standard output, as everywhere
    options = make_options(**gw)  # type: ignore[arg-type]
    for name, given in (("DEFINITION", definition), ("CASES", cases)):
        if output and given != "-" and same_file(given, output):
            raise InputError(f"-o names {name}; refusing to overwrite an input", output)
    limits = LoadLimits(max_bytes=max_size)
    api = read_api(definition, limits)
    suite = load_cases(cases, limits)
    results = run_cases(api, suite, options, max_clock_skew_window)
    if not show_secrets:
        results = _redacted(api, results)
    text = to_junit(results, definition, cases) if fmt == "junit" else to_report_text(results)
    if output:
        write_atomic(output, text)
        if fmt == "junit":
            click.echo(to_report_text(results), nl=False)
    else:
        click.echo(text, nl=False)
    if any(not r.passed for r in results):
        sys.exit(EXIT_FINDINGS)


def _redacted(api, results: list) -> list:  # noqa: ANN001
    """The case results with every sensitive value redacted in their problem lines."""
    import dataclasses

    from oascompile.redact import redact_in, variants

    out = []
    for r in results:
        secrets = sensitive_values(api, r.case.request, r.actual, r.keys_tried)
        secrets |= variants([r.case.expect.get("token")] + [
            v for _, v in (r.case.expect.get("upstream") or {}).get("headers", [])])
        out.append(dataclasses.replace(r, problems=tuple(redact_in(p, secrets)
                                                         for p in r.problems)))
    return out
