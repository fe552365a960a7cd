"""The intermediate representation (IR) of an API definition's authentication.

One typed model, close to what the Tyk gateway executes: the gateway runs every API on the Tyk
Classic form (for Tyk OAS APIs, the result of ``OAS.ExtractTo``), so the IR follows the Classic
``APIDefinition`` / ``AuthConfig`` fields (spec ``tyk-auth-token.md`` §1.1–§1.3), named with
the terms of OpenAPI and Tyk (auth source, auth config, strip authorization data, allowlist).
Readers (:mod:`oascompile.classic`, :mod:`oascompile.oas`) build it; writers turn it back into
either format; the linter and the evaluation engine read it.

Everything is a frozen dataclass: build new values with :func:`dataclasses.replace`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_HEADER = "Authorization"
"""The header (and fallback name) the gateway uses when no name is configured (spec §3.1)."""

AUTH_TOKEN_KEY = "authToken"
"""The ``auth_configs`` key of the Auth Token method (``apidef.AuthTokenType``)."""

MASHERY_ALGORITHMS = ("MasherySHA256", "MasheryMD5")
"""Signature algorithms the gateway accepts (case-sensitive, spec §5 step 2)."""

BASE_IDENTITY_PROVIDERS = ("auth_token", "hmac_key", "basic_auth_user", "jwt_claim",
                           "oidc_user", "oauth_key", "custom_auth", "")
"""Values of ``base_identity_provided_by`` (Go ``AuthTypeEnum``), spec §1.1."""

OTHER_AUTH_METHODS = ("jwt", "hmac", "basic", "custom", "oauth", "external_oauth", "oidc")
"""Auth methods other than Auth Token, by the short names used in :attr:`Authentication.other_methods`."""


@dataclass(frozen=True)
class AuthSource:
    """One place a credential is read from (OAS ``X-Tyk-AuthSource``).

    ``enabled``/``name`` mirror Classic ``disable_header``(negated)/``auth_header_name``,
    ``use_param``/``param_name`` and ``use_cookie``/``cookie_name``.  An empty name means the
    runtime fallback of spec §3.1 applies.
    """

    enabled: bool = False
    name: str = ""


@dataclass(frozen=True)
class SignatureConfig:
    """Mashery-style request signature settings (Classic ``signature``, spec §1.3 and §5).

    ``allowed_clock_skew`` is in seconds; ``error_code`` 0 means 401 and ``error_message`` ""
    means ``Request signature verification failed`` at runtime.
    """

    algorithm: str = ""
    header: str = ""
    use_param: bool = False
    param_name: str = ""
    secret: str = ""
    allowed_clock_skew: int = 0
    error_code: int = 0
    error_message: str = ""

    def is_zero(self) -> bool:
        """True when every field has its zero value (Fill then omits ``signatureValidation``)."""
        return self == SignatureConfig()


@dataclass(frozen=True)
class AuthConfig:
    """An auth config (value of ``auth_configs.<key>`` or of the deprecated ``auth``), spec §1.2.

    Attributes:
        name: the config's name; for Auth Token it becomes the OAS security scheme name.
        header: header source; ``enabled`` is NOT ``disable_header`` (so enabled by default).
        query: query-parameter source (``use_param`` / ``param_name``).
        cookie: cookie source (``use_cookie`` / ``cookie_name``).
        use_certificate: dynamic mTLS / certificate auth (spec §6.2).
        validate_signature: Mashery signature check on (spec §5).
        signature: the signature settings.
    """

    name: str = ""
    header: AuthSource = field(default_factory=lambda: AuthSource(True, ""))
    query: AuthSource = field(default_factory=AuthSource)
    cookie: AuthSource = field(default_factory=AuthSource)
    use_certificate: bool = False
    validate_signature: bool = False
    signature: SignatureConfig = field(default_factory=SignatureConfig)

    def sources(self) -> tuple[tuple[str, AuthSource], ...]:
        """``(("header", …), ("query", …), ("cookie", …))`` in the gateway's reading order."""
        return (("header", self.header), ("query", self.query), ("cookie", self.cookie))

    def has_enabled_source(self) -> bool:
        """True when at least one of header, query, cookie is enabled."""
        return self.header.enabled or self.query.enabled or self.cookie.enabled

    def read_name(self, location: str) -> str:
        """The name the gateway reads the token from at ``location`` (spec §3.1 R3–R5).

        Header: ``auth_header_name`` or ``Authorization``.  Query / cookie: their own name, else
        ``auth_header_name`` while the header is enabled and named, else ``Authorization``
        (``BaseMiddleware.getAuthToken``; examples E11, E12, E21; quirk 4).
        """
        if location == "header":
            return self.header.name or DEFAULT_HEADER
        own = self.query.name if location == "query" else self.cookie.name
        if own:
            return own
        if self.header.enabled and self.header.name:
            return self.header.name
        return DEFAULT_HEADER

    def strip_name(self, location: str) -> str:
        """The name strip-authorization-data removes at ``location`` (spec §4.1 S1–S3).

        Header: ``auth_header_name`` or ``Authorization``.  Query / cookie: their own name, else
        ``auth_header_name`` *even when the header is disabled*, else ``Authorization``
        (``StripAuth.stripFromParams`` / ``stripFromHeaders``; example S12; quirk 5).
        """
        own = {"header": "", "query": self.query.name, "cookie": self.cookie.name}[location]
        return own or self.header.name or DEFAULT_HEADER


@dataclass(frozen=True)
class ClientCertificates:
    """Static mTLS allowlist (Classic ``use_mutual_tls_auth`` / ``client_certificates``).

    ``allowlist`` is None when the Classic field is null/absent, else a tuple of Tyk
    certificate ids (``org_id`` + SHA-256 hex of the DER certificate).
    """

    enabled: bool = False
    allowlist: tuple[str, ...] | None = None


@dataclass(frozen=True)
class SecurityRequirement:
    """One OpenAPI security requirement: scheme names with their scope lists, in order."""

    schemes: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def names(self) -> tuple[str, ...]:
        """The scheme names of this requirement, in order."""
        return tuple(name for name, _ in self.schemes)


@dataclass(frozen=True)
class Authentication:
    """Everything that decides how the gateway authenticates a request to one API.

    Attributes:
        keyless: ``use_keyless`` (NOT ``authentication.enabled``): no client auth at all.
        auth_token_enabled: ``use_standard_auth`` (the token scheme's ``enabled``).
        auth_configs: every ``auth_configs`` entry in document order as ``(key, AuthConfig)``;
            None when ``auth_configs`` is null or absent, ``()`` when it is ``{}``.
        deprecated_auth: the top-level ``auth`` object, or None when absent.
        strip_authorization_data: ``strip_auth_data``.
        base_identity_provider: ``base_identity_provided_by`` ("" = unset).
        session_lifetime: ``session_lifetime`` in seconds (0 = not set).
        session_lifetime_respects_key_expiration: ``session_lifetime_respects_key_expiration``.
        client_certificates: static mTLS allowlist.
        certificate_contract: which OAS contract carries ``use_certificate``: ``"new"``
            (``authentication.certificateAuth``, Tyk 5.12+) or ``"old"``
            (``securitySchemes.<token>.enableClientCertificate``), spec §2.4.
        other_methods: short names of the other enabled auth methods (see OTHER_AUTH_METHODS).
        security_requirements: Classic ``security_requirements`` / OAS root ``security``.
        vendor_security: OAS ``authentication.security`` (proprietary requirements).
        processing_mode: OAS ``securityProcessingMode`` ("" = unset = legacy).
    """

    keyless: bool = False
    auth_token_enabled: bool = False
    auth_configs: tuple[tuple[str, AuthConfig], ...] | None = None
    deprecated_auth: AuthConfig | None = None
    strip_authorization_data: bool = False
    base_identity_provider: str = ""
    session_lifetime: int = 0
    session_lifetime_respects_key_expiration: bool = False
    client_certificates: ClientCertificates = field(default_factory=ClientCertificates)
    certificate_contract: str = "new"
    other_methods: tuple[str, ...] = ()
    security_requirements: tuple[SecurityRequirement, ...] = ()
    vendor_security: tuple[tuple[str, ...], ...] = ()
    processing_mode: str = ""

    @property
    def token(self) -> AuthConfig | None:
        """``auth_configs.authToken``, or None when that key is absent."""
        for key, config in self.auth_configs or ():
            if key == AUTH_TOKEN_KEY:
                return config
        return None

    def runtime_token_config(self) -> AuthConfig:
        """The config the Auth Token middleware reads (R0, spec §1.4 and §3.1 step 1).

        ``auth_configs.authToken`` when that key exists, else the deprecated ``auth`` object,
        else the zero config (header ``Authorization``).
        """
        token = self.token
        if token is not None:
            return token
        return self.deprecated_auth if self.deprecated_auth is not None else AuthConfig()

    def strip_configs(self) -> tuple[AuthConfig, ...]:
        """The configs strip-authorization-data iterates (spec §4.1): every ``auth_configs``
        entry, or the deprecated ``auth`` once when ``auth_configs`` is empty."""
        if self.auth_configs:
            return tuple(config for _, config in self.auth_configs)
        return (self.deprecated_auth if self.deprecated_auth is not None else AuthConfig(),)

    def implicit_auth_token(self) -> bool:
        """True when the gateway enforces Auth Token although ``use_standard_auth`` is false:
        not keyless and no other auth method enabled (gateway/api_loader.go, spec §3)."""
        return not self.keyless and not self.auth_token_enabled and not self.other_methods

    def auth_token_runs(self) -> bool:
        """True when the Auth Token middleware is installed for this API (spec §3)."""
        return not self.keyless and (self.auth_token_enabled or not self.other_methods)


@dataclass(frozen=True)
class Identity:
    """The identity fields of an API definition (spec §2.2 F11 / §2.3 X9, example M20)."""

    api_id: str = ""
    name: str = ""
    org_id: str = ""
    active: bool = False
    internal: bool = False
    listen_path: str = ""
    strip_listen_path: bool = False
    target_url: str = ""


@dataclass(frozen=True)
class APIDefinition:
    """An API definition as oascompile understands it: identity plus authentication.

    ``source_format`` is ``"classic"`` or ``"oas"`` (where it was read from).
    """

    identity: Identity = field(default_factory=Identity)
    authentication: Authentication = field(default_factory=Authentication)
    source_format: str = "classic"
