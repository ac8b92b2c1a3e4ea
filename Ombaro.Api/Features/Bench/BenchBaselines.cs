namespace Ombaro.Api.Features.Bench;

/// <summary>
/// The baselines of <c>bench/run.sh</c>: a constant answer with no I/O (the ceiling of the HTTP pipeline), and
/// the cheapest useful request against each store, so that real endpoints can be reported as a ratio of them.
/// Mapped only when <c>Bench:Enabled=true</c> (never by default), anonymous, and touching nothing but one
/// benchmark key and one row.
/// </summary>
public sealed class BenchBaselines : ICarterModule
{
    public const string Setting = "Bench:Enabled";

    public void AddRoutes(IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IConfiguration>().GetValue<bool>(Setting)) return;
        var group = app.MapGroup("/bench").WithTags("Bench").AllowAnonymous().ExcludeFromDescription();
        group.MapGet("/bare", () => TypedResults.Ok(Bare)).WithName("BenchBare").WithSummary("A constant small JSON body, no I/O.");
        group.MapGet("/redis", RedisGet).WithName("BenchRedisGet").WithSummary("One Redis GET of the benchmark key (cache role).");
        group.MapGet("/postgres/{id:guid}", PostgresRow).WithName("BenchPostgresRow").WithSummary("One vendor row read by primary key.");
    }

    public sealed record Constant(string Status);

    static readonly Constant Bare = new("ok");

    public static RedisKey Key => RedisKeys.Cache("bench", "baseline");

    static async Task<Results<Ok<string>, NotFound>> RedisGet(RedisConnections redis)
    {
        var value = await redis.CacheDb.StringGetAsync(Key);
        return value.IsNull ? TypedResults.NotFound() : TypedResults.Ok(value.ToString());
    }

    public sealed record Row(Guid Id, string Name);

    static async Task<Results<Ok<Row>, NotFound>> PostgresRow(Guid id, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition("SELECT id, name FROM vendors WHERE id = @id", new { id }, cancellationToken: ct));
        return row is null ? TypedResults.NotFound() : TypedResults.Ok(row);
    }
}
