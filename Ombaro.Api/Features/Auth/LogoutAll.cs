namespace Ombaro.Api.Features.Auth;

/// <summary><c>POST /api/v1/auth/logout-all</c>: ends every session of the caller, on every device, this one included.</summary>
public sealed class LogoutAll : ICarterModule
{
    public sealed record Response(int RevokedSessions);

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapAuthApi().RequireAuthorization()
            .MapPost("/logout-all", Handle).WithName("LogoutAll").WithSummary("End every session of the caller, on every device.");

    static async Task<Ok<Response>> Handle(ClaimsPrincipal user, SessionStore sessions) =>
        TypedResults.Ok(new Response(await sessions.RevokeAllAsync(user.UserId())));
}
