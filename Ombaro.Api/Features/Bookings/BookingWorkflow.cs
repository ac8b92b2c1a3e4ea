namespace Ombaro.Api.Features.Bookings;

/// <summary>
/// Applies lifecycle steps: <c>pending → confirmed → assigned → in_progress → completed</c>, plus <c>cancelled</c> and
/// <c>no_show</c>. The update is conditional on the status read (<c>WHERE status = @expected</c>), so of two concurrent
/// steps on one booking only one succeeds; the audit entry is written in the same transaction, listeners after commit.
/// </summary>
public sealed class BookingWorkflow(NpgsqlDataSource db, BookingChangePublisher changes, TimeProvider clock)
{
    public async Task<TransitionResult> ApplyAsync(Guid bookingId, Actor actor, Transition step, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var current = await BookingReader.LoadAsync(conn, null, bookingId, ct);
        if (current is null || actor.UserId is { } user && !current.VisibleTo(user, actor.Role)) return new TransitionResult.NotFound();
        var booking = current.Booking;
        var now = clock.GetUtcNow();
        if (!step.From.Contains(booking.Status)) return Illegal(step, booking.Status);
        if (step.Guard(booking, actor, now) is { } refusal) return new TransitionResult.Refused(step.RefusalTitle, refusal, booking.Status, step.Limit);
        if (step.TherapistId is { } therapist && !await IsActiveTherapistAsync(conn, booking.VendorId, therapist, ct))
            return new TransitionResult.Invalid("therapistId", "Not an active therapist of this booking's vendor.");

        BookingDto updated;
        try
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            var changed = await conn.ExecuteAsync(new CommandDefinition("""
                UPDATE bookings SET status = @To,
                    therapist_id = COALESCE(@TherapistId, therapist_id),
                    cancel_reason = COALESCE(@CancelReason, cancel_reason),
                    cancelled_by = CASE WHEN @To = 'cancelled' THEN @UserId ELSE cancelled_by END,
                    completed_at = CASE WHEN @To = 'completed' THEN @now ELSE completed_at END,
                    updated_at = @now
                WHERE id = @bookingId AND status = @expected
                """, new { step.To, step.TherapistId, step.CancelReason, actor.UserId, now, bookingId, expected = booking.Status },
                tx, cancellationToken: ct));
            if (changed == 0)
            {
                // Another step won the race since the read: report the status it left.
                var status = await conn.ExecuteScalarAsync<string>(new CommandDefinition(
                    "SELECT status FROM bookings WHERE id = @bookingId", new { bookingId }, tx, cancellationToken: ct));
                return Illegal(step, status!);
            }
            updated = (await BookingReader.LoadAsync(conn, tx, bookingId, ct))!.Booking;
            await Audit.WriteAsync(tx, actor, "booking." + step.Action, bookingId,
                new(booking.Status, booking.TherapistId), new(updated.Status, updated.TherapistId), ct);
            await tx.CommitAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ExclusionViolation)
        {
            return new TransitionResult.Refused("Therapist not free",
                "The therapist already has a booking overlapping this one.", booking.Status);
        }

        await changes.PublishAsync(new BookingChange(updated.Id, updated.CustomerId, updated.VendorId, updated.TherapistId,
            booking.Status, updated.Status, updated.StartsAt,
            booking.TherapistId != updated.TherapistId ? booking.TherapistId : null));
        return new TransitionResult.Done(updated);
    }

    static TransitionResult.Refused Illegal(Transition step, string status) =>
        new("Illegal transition", $"Cannot {step.Action} a booking that is {status}.", status);

    static Task<bool> IsActiveTherapistAsync(NpgsqlConnection conn, Guid vendorId, Guid therapistId, CancellationToken ct) =>
        conn.ExecuteScalarAsync<bool>(new CommandDefinition("""
            SELECT EXISTS (SELECT 1 FROM vendor_therapists vt JOIN users u ON u.id = vt.therapist_id AND u.status = 'active'
                           WHERE vt.vendor_id = @vendorId AND vt.therapist_id = @therapistId AND vt.active)
            """, new { vendorId, therapistId }, cancellationToken: ct));
}
