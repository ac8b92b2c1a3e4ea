namespace Ombaro.Api.Features.Auth;

/// <summary><c>DELETE /api/v1/auth/sessions/{id}</c>: signs one of the caller's devices out.</summary>
public sealed class RevokeSession : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapAuthApi().RequireAuthorization()
            .MapDelete("/sessions/{id}", Handle).WithName("RevokeSession").WithSummary("Sign one of the caller's sessions (devices) out.");

    static async Task<Results<NoContent, NotFoundProblem>> Handle(string id, ClaimsPrincipal user, SessionStore sessions) =>
        id.Length <= 64 && await sessions.RevokeAsync(user.UserId(), id)
            ? TypedResults.NoContent()
            : Problems.NotFound("Not found", "The caller has no session with this id.");
}
