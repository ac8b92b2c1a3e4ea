namespace Ombaro.Tests.Support;

/// <summary>The audit entries of one user (<c>entity = 'user'</c>), oldest first, read straight from PostgreSQL.</summary>
public static class UserAudit
{
    public sealed record Row(string Action, Guid? ActorId, string? Before, string? After);

    public static async Task<List<Row>> OfAsync(IServiceProvider services, Guid userId)
    {
        await using var conn = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        return (await conn.QueryAsync<Row>(
            "SELECT action, actor_id AS ActorId, before::text AS Before, after::text AS After FROM audit_log WHERE entity = 'user' AND entity_id = @id ORDER BY id",
            new { id = userId.ToString() })).ToList();
    }
}
