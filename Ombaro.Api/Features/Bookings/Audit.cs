namespace Ombaro.Api.Features.Bookings;

/// <summary>The audit trail of bookings: one <c>audit_log</c> row per change, in the change's transaction.</summary>
public static class Audit
{
    public sealed record State(string Status, Guid? TherapistId);

    public static Task WriteAsync(NpgsqlTransaction tx, Actor actor, string action, Guid bookingId, State? before, State after, CancellationToken ct) =>
        AuditLog.WriteAsync(tx, actor.UserId, actor.Role, actor.Ip, action, "booking", bookingId, before, after, ct);
}
