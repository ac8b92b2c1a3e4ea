using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Npgsql;
using Ombaro.Api.Infrastructure.Auth;

namespace Ombaro.Api.Infrastructure.Audit;

/// <summary>
/// Writes one row of <c>audit_log</c> (who, when, from which ip, what, before/after) in the caller's
/// transaction, so a privileged change and its record commit together.
/// </summary>
public static class AuditLog
{
    public static Task WriteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, HttpContext http, string action,
        string entity, string entityId, object? before, object? after, CancellationToken ct)
    {
        var actor = http.User;
        return conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO audit_log (actor_id, actor_role, action, entity, entity_id, ip_address, before, after)
            VALUES (@ActorId, @ActorRole, @Action, @Entity, @EntityId, @Ip, @Before::jsonb, @After::jsonb)
            """,
            new
            {
                ActorId = actor.Identity?.IsAuthenticated == true ? actor.UserId() : (Guid?)null,
                ActorRole = actor.FindFirstValue(ClaimTypes.Role),
                Action = action, Entity = entity, EntityId = entityId,
                Ip = http.Connection.RemoteIpAddress?.ToString(),
                Before = Json(before), After = Json(after),
            }, tx, cancellationToken: ct));
    }

    static string? Json(object? value) => value is null ? null : JsonSerializer.Serialize(value, JsonSerializerOptions.Web);
}
