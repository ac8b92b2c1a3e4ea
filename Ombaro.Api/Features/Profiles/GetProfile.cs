namespace Ombaro.Api.Features.Profiles;

/// <summary><c>GET /api/v1/profile</c>: the caller's own profile, for whatever role they have (cache-aside, 5 min).</summary>
public sealed class GetProfile : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapProfileApi().MapGet("", Handle)
            .WithName("GetProfile").WithSummary("The signed-in user's profile (fields depend on the role).");

    static async Task<Results<Ok<Profile>, NotFound>> Handle(ClaimsPrincipal user, CacheAside cache, NpgsqlDataSource db, CancellationToken ct) =>
        await ProfileStore.GetAsync(cache, db, user.Role(), user.UserId(), ct) is { } profile
            ? TypedResults.Ok(profile)
            : TypedResults.NotFound();
}
