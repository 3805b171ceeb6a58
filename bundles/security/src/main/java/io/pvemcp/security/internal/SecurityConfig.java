package io.pvemcp.security.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "MCP security", description = "Who may use the MCP endpoint: bearer tokens (JWT or API "
        + "key) with scopes, signing keys, rate limits. The command line issues and revokes tokens in the same folder.")
@interface SecurityConfig {

    @AttributeDefinition(name = "Authentication", description = "Require a bearer token. Switched off, the server "
            + "serves loopback clients only, each with every scope.")
    boolean enabled() default true;

    @AttributeDefinition(name = "Folder", description = "Where signing keys and issued tokens are kept (mode 0700).")
    String data_dir() default "data/security";

    @AttributeDefinition(name = "Resource", description = "The MCP endpoint's URL as clients reach it: the audience "
            + "(aud) tokens must name, and the resource of the protected resource metadata.")
    String resource() default "http://127.0.0.1:8000/mcp";

    @AttributeDefinition(name = "Issuer", description = "The issuer (iss) of tokens; empty for the resource's origin.")
    String issuer() default "";

    @AttributeDefinition(name = "Further audiences", description = "Other aud values to accept, e.g. the URL behind a "
            + "proxy.")
    String[] audiences() default {};

    @AttributeDefinition(name = "Authorization servers", description = "Listed in the protected resource metadata; "
            + "empty for the issuer.")
    String[] authorization_servers() default {};

    @AttributeDefinition(name = "OpenID Connect issuer", description = "Also accept bearer JWTs of this issuer "
            + "(single sign-on), e.g. https://sso.example.org/realms/ops; its keys come from its JWKS. Empty: only "
            + "this server's own tokens. The protected resource metadata then names it as the authorization server.")
    String oidc_issuer() default "";

    @AttributeDefinition(name = "OpenID Connect audiences", description = "aud values its tokens must name (one of); "
            + "empty for the resource URL.")
    String[] oidc_audiences() default {};

    @AttributeDefinition(name = "OpenID Connect JWKS URI", description = "Where its keys are; empty to find them "
            + "by discovery (ISSUER/.well-known/openid-configuration).")
    String oidc_jwks_uri() default "";

    @AttributeDefinition(name = "OpenID Connect scope claim", description = "The claim with the scopes granted "
            + "(space-separated, or a list); scopes that are not this server's are ignored. 'none': scopes come from "
            + "the group mappings only (with providers that hand out any scope a client asks for, as Keycloak does "
            + "with a client's optional scopes).")
    String oidc_scope_claim() default "scope";

    @AttributeDefinition(name = "OpenID Connect groups claim", description = "The claim with the user's groups.")
    String oidc_groups_claim() default "groups";

    @AttributeDefinition(name = "OpenID Connect group mappings", description = "GROUP=SCOPE SCOPE, optionally "
            + ";clusters=NAME,NAME: members of the group get those scopes (and only those clusters), e.g. "
            + "'ops=proxmox:admin' or 'lab-team=proxmox:read proxmox:power;clusters=lab'.")
    String[] oidc_group_scopes() default {};

    @AttributeDefinition(name = "OpenID Connect subject claim", description = "Who the caller is, in the audit trail.")
    String oidc_subject_claim() default "sub";

    @AttributeDefinition(name = "HS256 secret (SECRET_KEY)", type = AttributeType.PASSWORD, description = "Signs and "
            + "verifies tokens instead of the generated keys; at least 32 bytes.")
    String secret_key() default "";

    @AttributeDefinition(name = "Previous HS256 secret", type = AttributeType.PASSWORD, description = "Still verifies "
            + "tokens after SECRET_KEY was changed, until they expire.")
    String secret_key_previous() default "";

    @AttributeDefinition(name = "Algorithm of generated keys", options = {
        @org.osgi.service.metatype.annotations.Option(value = "HS256"),
        @org.osgi.service.metatype.annotations.Option(value = "RS256"),
        @org.osgi.service.metatype.annotations.Option(value = "ES256")})
    String algorithm() default "HS256";

    @AttributeDefinition(name = "Clock skew (s)", description = "Tolerance on exp, nbf and iat.", min = "0", max = "300")
    int clock_skew_s() default 60;

    @AttributeDefinition(name = "Tool calls per minute per token", description = "What costs: tool calls (MCP "
            + "tools/call and REST calls), which reach Proxmox.", min = "1")
    int rate_per_minute() default 300;

    @AttributeDefinition(name = "Tool call burst per token", description = "Tool calls a token may make at once "
            + "before the rate applies.", min = "1")
    int rate_burst() default 100;

    @AttributeDefinition(name = "Messages per minute per token", description = "Every other request: initialize, "
            + "lists, ping, notifications, streams. Protocol chatter, so a much higher allowance.", min = "1")
    int messages_per_minute() default 6000;

    @AttributeDefinition(name = "Message burst per token", min = "1")
    int messages_burst() default 2000;

    @AttributeDefinition(name = "Failed authentications per minute per address", description = "Beyond this, the "
            + "address's invalid credentials are answered 429 instead of 401 until it slows down; valid ones are "
            + "always admitted.", min = "1")
    int failures_per_minute() default 30;
}
