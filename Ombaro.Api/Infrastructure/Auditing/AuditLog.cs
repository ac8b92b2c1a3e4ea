using System.Text.Json;
using Dapper;
using Npgsql;

namespace Ombaro.Api.Infrastructure.Auditing;

/// <summary>A privileged action, as one <c>audit_log</c> row: who did what to which entity, from where, before and after.</summary>
public sealed record AuditEntry(
    Guid? ActorId, string? ActorRole, string Action, string Entity, string EntityId, string? IpAddress, object? Before, object? After);

public static class AuditLog
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Writes the row inside the caller's transaction, so it commits (or not) with the change it records.</summary>
    public static Task WriteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, AuditEntry e, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO audit_log (actor_id, actor_role, action, entity, entity_id, ip_address, before, after)
            VALUES (@ActorId, @ActorRole, @Action, @Entity, @EntityId, @IpAddress, @Before::jsonb, @After::jsonb)
            """,
            new
            {
                e.ActorId, e.ActorRole, e.Action, e.Entity, e.EntityId, e.IpAddress,
                Before = e.Before is null ? null : JsonSerializer.Serialize(e.Before, Json),
                After = e.After is null ? null : JsonSerializer.Serialize(e.After, Json),
            }, tx, cancellationToken: ct));
}
