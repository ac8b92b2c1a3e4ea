namespace Ombaro.Api.Infrastructure.Auth;

/// <summary>Who is calling, from the session the bearer token names.</summary>
public static class CurrentUser
{
    public const string SessionIdClaim = "sid";
    /// <summary>The user's snapshot generation, read with the session by authentication (<see cref="UserSnapshots"/>).</summary>
    public const string GenerationClaim = "ombaro:generation";

    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not authenticated."));

    public static string Role(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.Role) ?? throw new InvalidOperationException("Not authenticated.");

    /// <summary>The public id of the caller's session (the token's digest).</summary>
    public static string SessionId(this ClaimsPrincipal user) =>
        user.FindFirstValue(SessionIdClaim) ?? throw new InvalidOperationException("Not authenticated.");

    public static long Generation(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(GenerationClaim) ?? throw new InvalidOperationException("Not authenticated."), CultureInfo.InvariantCulture);
}
