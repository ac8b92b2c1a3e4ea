namespace Ombaro.Api.Features.Auth;

/// <summary><c>GET /api/v1/auth/me</c>: the signed-in user and the session in use.</summary>
public sealed class GetMe : ICarterModule
{
    public sealed record Response(Guid Id, string Mobile, string Role, string Status, string? Name, string SessionId);

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapAuthApi().RequireAuthorization()
            .MapGet("/me", Handle).WithName("GetMe").WithSummary("The signed-in user and the id of the session in use.");

    static async Task<Results<Ok<Response>, NotFound>> Handle(ClaimsPrincipal user, UserSnapshots users, CancellationToken ct) =>
        await users.AtGenerationAsync(user.UserId(), user.Generation(), ct) is { } me   // the generation authentication read
            ? TypedResults.Ok(new Response(me.Id, me.Mobile, me.Role, me.Status, me.Name, user.SessionId()))
            : TypedResults.NotFound();
}
