namespace Ombaro.Api.Features.Auth;

/// <summary><c>POST /api/v1/auth/logout</c>: ends the session in use; the token stops working at once.</summary>
public sealed class Logout : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapAuthApi().RequireAuthorization()
            .MapPost("/logout", Handle).WithName("Logout").WithSummary("End the session in use.");

    static async Task<NoContent> Handle(ClaimsPrincipal user, SessionStore sessions)
    {
        await sessions.RevokeAsync(user.UserId(), user.SessionId());
        return TypedResults.NoContent();
    }
}
