using System.Security.Claims;
using Carter;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Ombaro.Api.Infrastructure.Auth;

namespace Ombaro.Api.Features.Auth;

/// <summary><c>GET /api/v1/auth/me</c>: the signed-in user and the session in use.</summary>
public sealed class GetMe : ICarterModule
{
    public sealed record Response(Guid Id, string Mobile, string Role, string Status, string? Name, string SessionId);

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapGroup("/api/v1/auth").WithTags("Auth").RequireAuthorization()
            .MapGet("/me", Handle).WithName("GetMe").WithSummary("The signed-in user and the id of the session in use.");

    static async Task<Results<Ok<Response>, NotFound>> Handle(ClaimsPrincipal user, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<(Guid Id, string Mobile, string Role, string Status, string? Name)>(
            new CommandDefinition("SELECT id, mobile, role, status, name FROM users WHERE id = @id", new { id = user.UserId() }, cancellationToken: ct));
        return row.Id == Guid.Empty
            ? TypedResults.NotFound()
            : TypedResults.Ok(new Response(row.Id, row.Mobile, row.Role, row.Status, row.Name, user.SessionId()));
    }
}
