"""Builders for Tyk Classic and Tyk OAS test documents."""

from __future__ import annotations

import copy
from typing import Any

ZERO_SIGNATURE = {"algorithm": "", "header": "", "use_param": False, "param_name": "",
                  "secret": "", "allowed_clock_skew": 0, "error_code": 0, "error_message": ""}


def auth_config(**fields: Any) -> dict[str, Any]:
    """A full Classic AuthConfig (every field, zero values) updated with ``fields``."""
    base = {"name": "authToken", "use_param": False, "param_name": "", "use_cookie": False,
            "cookie_name": "", "disable_header": False, "auth_header_name": "Authorization",
            "use_certificate": False, "validate_signature": False,
            "signature": copy.deepcopy(ZERO_SIGNATURE)}
    sig = fields.pop("signature", None)
    base.update(fields)
    if sig:
        base["signature"].update(sig)
    return base


def classic(token: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    """A Classic API definition with Auth Token on, updated with ``fields``."""
    api: dict[str, Any] = {
        "api_id": "api1", "name": "Pets", "org_id": "org1", "active": True,
        "proxy": {"listen_path": "/svc/", "target_url": "http://upstream.test",
                  "strip_listen_path": False},
        "version_data": {"not_versioned": True, "default_version": "Default",
                         "versions": {"Default": {"name": "Default"}}},
        "use_keyless": False, "use_standard_auth": True,
        "auth_configs": {"authToken": token if token is not None else auth_config()},
        "strip_auth_data": False, "use_mutual_tls_auth": False, "client_certificates": [],
        "base_identity_provided_by": "",
    }
    api.update(fields)
    return api


def oas(schemes: dict[str, Any] | None = None, ext_schemes: dict[str, Any] | None = None,
        security: list | None = None, authentication: dict[str, Any] | None = None,
        **server: Any) -> dict[str, Any]:
    """A Tyk OAS definition with the given components schemes / extension token objects."""
    schemes = schemes if schemes is not None else {
        "authToken": {"type": "apiKey", "in": "header", "name": "Authorization"}}
    ext_schemes = ext_schemes if ext_schemes is not None else {"authToken": {"enabled": True}}
    authn = {"enabled": True, "securitySchemes": ext_schemes}
    if authentication:
        authn.update(authentication)
    doc: dict[str, Any] = {
        "openapi": "3.0.3", "info": {"title": "Pets", "version": "1.0.0"}, "paths": {},
        "components": {"securitySchemes": schemes},
        "security": security if security is not None else [{n: []} for n in schemes][:1],
        "x-tyk-api-gateway": {
            "info": {"id": "api1", "orgId": "org1", "name": "Pets", "state": {"active": True}},
            "upstream": {"url": "http://upstream.test"},
            "server": {"listenPath": {"value": "/svc/", "strip": False},
                       "authentication": authn, **server},
        },
    }
    return doc
