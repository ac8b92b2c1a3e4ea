using Ombaro.Api.Features.Desks;

namespace Ombaro.Api.Features.Admin;

/// <summary>
/// <c>GET /api/v1/admin/audit-log?actor&amp;entity&amp;page&amp;pageSize</c>: privileged actions and booking
/// transitions, newest first. Pages are cached under the log's high-water mark (its latest id), so any
/// new entry, by whichever writer, makes older pages unreachable without an invalidation call.
/// </summary>
public sealed class GetAuditLog : ICarterModule
{
    public sealed record Query(Guid? Actor, string? Entity, int? Page, int? PageSize);

    public sealed record Entry(long Id, DateTimeOffset At, Guid? ActorId, string? ActorRole, string Action, string Entity, string EntityId,
        string? IpAddress, JsonElement? Before, JsonElement? After);

    public sealed record Response(int Page, int PageSize, int Total, IReadOnlyList<Entry> Items);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Entity).MaximumLength(50);
            RuleFor(q => q.Page).Page();
            RuleFor(q => q.PageSize).PageSize();
        }
    }

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapAdminApi()
            .MapGet("/audit-log", Handle).Validate<Query>()
            .WithName("GetAuditLog").WithSummary("The audit log, newest first, by actor and entity (cached pages).");

    sealed record Row(long Id, DateTime At, Guid? ActorId, string? ActorRole, string Action, string Entity, string EntityId,
        string? IpAddress, string? Before, string? After);

    static async Task<Results<Ok<Response>, ValidationProblem>> Handle([AsParameters] Query query, NpgsqlDataSource db, CacheAside cache,
        CancellationToken ct)
    {
        var (page, size) = (query.Page ?? 1, query.PageSize ?? 50);
        long latest;
        await using (var conn = await db.OpenConnectionAsync(ct))
            latest = await conn.ExecuteScalarAsync<long>(new CommandDefinition("SELECT coalesce(max(id), 0) FROM audit_log", cancellationToken: ct));
        var entity = query.Entity is null ? "-" : Convert.ToHexStringLower(Encoding.UTF8.GetBytes(query.Entity));
        var key = RedisKeys.Cache("audit-log", latest, query.Actor?.ToString() ?? "-", entity, page, size);

        var response = await cache.GetOrLoadAsync("audit-log", key, DeskCaches.Long, async token =>
        {
            var args = new { query.Actor, query.Entity, Latest = latest, Size = size, Offset = Paging.Offset(page, size) };
            const string where = """
                WHERE id <= @Latest AND (@Actor::uuid IS NULL OR actor_id = @Actor) AND (@Entity::text IS NULL OR entity = @Entity)
                """;
            await using var conn = await db.OpenConnectionAsync(token);
            await using var results = await conn.QueryMultipleAsync(new CommandDefinition($"""
                SELECT count(*)::int FROM audit_log {where};
                SELECT id, at, actor_id AS ActorId, actor_role AS ActorRole, action, entity, entity_id AS EntityId,
                       ip_address AS IpAddress, before::text AS before, after::text AS after
                FROM audit_log {where}
                ORDER BY id DESC LIMIT @Size OFFSET @Offset;
                """, args, cancellationToken: token));
            var total = await results.ReadSingleAsync<int>();
            var items = (await results.ReadAsync<Row>()).Select(r => new Entry(r.Id, new DateTimeOffset(DateTime.SpecifyKind(r.At, DateTimeKind.Utc)),
                r.ActorId, r.ActorRole, r.Action, r.Entity, r.EntityId, r.IpAddress, Parse(r.Before), Parse(r.After))).ToList();
            return new Response(page, size, total, items);
        }, ct);
        return TypedResults.Ok(response!);
    }

    static JsonElement? Parse(string? json) => json is null ? null : JsonSerializer.Deserialize<JsonElement>(json);
}
