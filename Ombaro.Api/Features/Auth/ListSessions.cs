namespace Ombaro.Api.Features.Auth;

/// <summary><c>GET /api/v1/auth/sessions</c>: the caller's signed-in devices, newest first.</summary>
public sealed class ListSessions : ICarterModule
{
    public sealed record Device(string Id, DateTimeOffset LoginTime, string? IpAddress, string? UserAgent, DateTimeOffset AbsoluteExpiry, bool Current);

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapAuthApi().RequireAuthorization()
            .MapGet("/sessions", Handle).WithName("ListSessions").WithSummary("The caller's live sessions (devices); `current` marks the one in use.");

    static async Task<Ok<List<Device>>> Handle(ClaimsPrincipal user, SessionStore sessions)
    {
        var current = user.SessionId();
        var live = await sessions.ListAsync(user.UserId());
        return TypedResults.Ok(live.Select(s => new Device(s.Id, s.LoginTime, s.IpAddress, s.UserAgent, s.AbsoluteExpiry, s.Id == current)).ToList());
    }
}
