namespace Ombaro.Api.Infrastructure.Auth;

/// <summary>Who is calling, from the session the bearer token names.</summary>
public static class CurrentUser
{
    public const string SessionIdClaim = "sid";

    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not authenticated."));

    public static string Role(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.Role) ?? throw new InvalidOperationException("Not authenticated.");

    /// <summary>The public id of the caller's session (the token's digest).</summary>
    public static string SessionId(this ClaimsPrincipal user) =>
        user.FindFirstValue(SessionIdClaim) ?? throw new InvalidOperationException("Not authenticated.");
}
