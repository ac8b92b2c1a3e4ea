using Ombaro.Api.Features.Desks;

namespace Ombaro.Api.Features.Admin;

/// <summary>
/// <c>GET /api/v1/admin/users?role&amp;status&amp;q&amp;page&amp;pageSize</c>: users newest first, filtered by role,
/// status and a search in name or mobile. Pages are cached under the <c>users</c> generation, which
/// <see cref="UserCaches.InvalidateAsync"/> bumps on every user change.
/// </summary>
public sealed class ListUsers : ICarterModule
{

    public sealed record Query(string? Role, string? Status, string? Q, int? Page, int? PageSize);

    public sealed record User(Guid Id, string Mobile, string Role, string Status, string? Name, DateTime CreatedAt);

    public sealed record Response(int Page, int PageSize, int Total, IReadOnlyList<User> Items);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Role).Must(r => r is null || Roles.IsValid(r)).WithMessage("role must be one of: " + string.Join(", ", Roles.All) + ".");
            RuleFor(q => q.Status).Must(s => s is null || UserStatus.All.Contains(s)).WithMessage("status must be one of: " + string.Join(", ", UserStatus.All) + ".");
            RuleFor(q => q.Q).MaximumLength(100);
            RuleFor(q => q.Page).Page();
            RuleFor(q => q.PageSize).PageSize();
        }
    }

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapAdminApi()
            .MapGet("/users", Handle).Validate<Query>()
            .WithName("ListUsers").WithSummary("Users by role, status and name/mobile search, paged (cached pages).");

    static async Task<Results<Ok<Response>, ValidationProblem>> Handle([AsParameters] Query query, NpgsqlDataSource db, CacheAside cache,
        CancellationToken ct)
    {
        var (page, size) = (query.Page ?? 1, query.PageSize ?? 20);
        var q = string.IsNullOrWhiteSpace(query.Q) ? null : query.Q.Trim();
        var key = await cache.KeyAsync("admin-users", DeskCaches.Users, query.Role ?? "all", query.Status ?? "all", Digest(q), page, size);
        var response = await cache.GetOrLoadAsync("admin-users", key, DeskCaches.Medium, async token =>
        {
            var args = new { query.Role, query.Status, Like = q is null ? null : "%" + EscapeLike(q) + "%", Size = size, Offset = Paging.Offset(page, size) };
            const string where = """
                WHERE (@Role::text IS NULL OR role = @Role) AND (@Status::text IS NULL OR status = @Status)
                  AND (@Like::text IS NULL OR name ILIKE @Like OR mobile LIKE @Like)
                """;
            await using var conn = await db.OpenConnectionAsync(token);
            await using var results = await conn.QueryMultipleAsync(new CommandDefinition($"""
                SELECT count(*)::int FROM users {where};
                SELECT id, mobile, role, status, name, created_at AS CreatedAt FROM users {where}
                ORDER BY created_at DESC, id LIMIT @Size OFFSET @Offset;
                """, args, cancellationToken: token));
            var total = await results.ReadSingleAsync<int>();
            return new Response(page, size, total, (await results.ReadAsync<User>()).ToList());
        }, ct);
        return TypedResults.Ok(response!);
    }

    /// <summary>The search text goes into the cache key as a digest: bounded length, no separators.</summary>
    static string Digest(string? q) => q is null ? "-" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(q.ToLowerInvariant())))[..16];

    static string EscapeLike(string s) => s.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}
