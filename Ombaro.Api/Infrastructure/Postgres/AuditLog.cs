namespace Ombaro.Api.Infrastructure.Postgres;

/// <summary>Appends to <c>audit_log</c> inside the caller's transaction, so the entry commits with the change.</summary>
public static class AuditLog
{
    public static Task WriteAsync(NpgsqlTransaction tx, ClaimsPrincipal actor, string? ipAddress, string action, string entity,
        object entityId, object? before, object? after, CancellationToken ct) =>
        WriteAsync(tx, actor.UserId(), actor.Role(), ipAddress, action, entity, entityId, before, after, ct);

    /// <summary>The same for an actor that is not a signed-in user (e.g. a background worker: no id, role "system").</summary>
    public static Task WriteAsync(NpgsqlTransaction tx, Guid? actorId, string actorRole, string? ipAddress, string action, string entity,
        object entityId, object? before, object? after, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition("""
            INSERT INTO audit_log (actor_id, actor_role, action, entity, entity_id, ip_address, before, after)
            VALUES (@actorId, @actorRole, @action, @entity, @entityId, @ipAddress, @before::jsonb, @after::jsonb)
            """, new
        {
            actorId, actorRole, action, entity, entityId = entityId.ToString(), ipAddress,
            before = Json(before), after = Json(after),
        }, tx, cancellationToken: ct));

    static string? Json(object? value) => value is null ? null : JsonSerializer.Serialize(value, JsonSerializerOptions.Web);
}
