using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;

namespace Ombaro.Api.Infrastructure.Auth;

/// <summary>
/// <c>Authorization: Bearer {token}</c> checked against the Redis session. A missing token (or another
/// scheme) is a 401 with <c>WWW-Authenticate: Bearer</c>, an unknown, expired or revoked one a 401 with
/// <c>Bearer error="invalid_token"</c> (RFC 6750, section 3.1); Redis being away is not a 401 but an
/// exception the global handler turns into 503. The same script checks the user's rate-limit policies of the endpoint
/// for a live session only (a forged or revoked token spends nobody's budget); <see cref="RateLimiter"/> names them and
/// takes the results back, and answers a refusal after authentication. Every request also checks the user's current snapshot
/// (<see cref="UserSnapshots"/>, of the generation read with the session in the same script): a user who is no longer
/// active, or whose role is not the session's any more, is refused at once, whatever happened to the session keys.
/// </summary>
public sealed class BearerSessionHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, SessionStore sessions,
    UserSnapshots users, RateLimiter limiter)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();   // not ours

        var token = header["Bearer ".Length..].Trim();
        var limits = SessionStore.UserOf(token) is { } named ? limiter.ForUser(Context, named) : [];
        if (await sessions.ValidateAsync(token, limits) is not { } validated)
            return AuthenticateResult.Fail("The token is unknown, expired or revoked.");
        if (validated.UserLimits is { } charged) RateLimiter.Charged(Context, limits, charged);
        var user = await users.ForSessionAsync(validated.UserId, validated.UserGeneration, Context.RequestAborted);
        if (user is not { IsActive: true } || user.Role != validated.Role)
            return AuthenticateResult.Fail("The account was suspended, deactivated or given another role; sign in again.");

        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, validated.UserId.ToString()),
            new Claim(ClaimTypes.Role, validated.Role),
            new Claim(CurrentUser.SessionIdClaim, validated.SessionId),
            new Claim(CurrentUser.GenerationClaim, validated.UserGeneration.ToString(CultureInfo.InvariantCulture)),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // This request's authentication result, computed once per request (no second Redis read); not the Safe variant,
        // which would turn Redis trouble into a failure: that stays an exception and a 503.
        var failed = (await HandleAuthenticateOnceAsync()).Failure is not null;
        Response.Headers.WWWAuthenticate = failed ? "Bearer error=\"invalid_token\"" : "Bearer";
        Response.StatusCode = StatusCodes.Status401Unauthorized;
    }
}
