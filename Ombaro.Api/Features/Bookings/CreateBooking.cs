using Microsoft.AspNetCore.Mvc;

namespace Ombaro.Api.Features.Bookings;

/// <summary>
/// <c>POST /api/v1/bookings</c> (customer, <c>Idempotency-Key</c> required): turns the caller's live hold into a pending
/// booking of the therapist whose time the hold reserves, in one transaction with its audit entry; the hold record goes,
/// its locks lapse with their TTL. The same key returns the same booking (200), however many retries race;
/// (customer, key) is UNIQUE in PostgreSQL. If the therapist-time was taken meanwhile (the hold lapsed), the exclusion
/// constraint refuses it: 409. A customer with <c>Bookings:MaxPendingBookings</c> pending future bookings gets 409.
/// </summary>
public sealed class CreateBooking : ICarterModule
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public sealed record Request(string HoldToken, string Address, string? Notes = null);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.HoldToken).NotEmpty().MaximumLength(100);
            RuleFor(r => r.Address).NotEmpty().MaximumLength(500);
            RuleFor(r => r.Notes).MaximumLength(1000);
        }
    }

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapBookingsApi().MapPost("/bookings", Handle).RequireAuthorization(Roles.Customer).Validate<Request>()
            .WithName("CreateBooking").WithSummary("Book a held slot; retries with the same Idempotency-Key return the same booking.");

    static async Task<Results<Created<BookingDto>, Ok<BookingDto>, ValidationProblem, ConflictProblem>> Handle(
        Request request, [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey, ClaimsPrincipal user, HttpContext http,
        SlotHolds holds, NpgsqlDataSource db, BookingChangePublisher changes, IOptions<BookingOptions> options, TimeProvider clock,
        CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > 100)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                { [IdempotencyHeader] = ["The Idempotency-Key header is required (at most 100 characters)."] });
        var customer = user.UserId();
        await using var conn = await db.OpenConnectionAsync(ct);
        if (await FindAsync(conn, customer, idempotencyKey, ct) is { } replay) return TypedResults.Ok(replay);

        var hold = await holds.FindAsync(request.HoldToken);
        if (hold is null || hold.CustomerId != customer)
            // A retry that lost the race to the request that consumed the hold still gets that booking.
            return await FindAsync(conn, customer, idempotencyKey, ct) is { } won
                ? TypedResults.Ok(won)
                : Conflict("Hold expired", "The hold has expired or is not yours; hold the slot again.");
        switch (await holds.ClaimAsync(hold, customer, idempotencyKey))
        {
            case SlotHolds.ClaimResult.ClaimedByAnotherRequest:
                return Conflict("Hold already in use", "Another booking request (a different Idempotency-Key) is using this hold.");
            case SlotHolds.ClaimResult.Gone:
                return await FindAsync(conn, customer, idempotencyKey, ct) is { } consumed
                    ? TypedResults.Ok(consumed)
                    : Conflict("Hold expired", "The hold has expired or is not yours; hold the slot again.");
        }

        Guid? id;
        try
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            // One customer's creates queue on their user row, so the pending count cannot be raced past. The count is a
            // statement of its own: its snapshot is taken after the lock, so it sees the booking of the create before.
            await conn.ExecuteAsync(new CommandDefinition("SELECT 1 FROM users WHERE id = @customer FOR UPDATE", new { customer }, tx, cancellationToken: ct));
            var pending = await conn.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM bookings WHERE customer_id = @customer AND status = 'pending' AND starts_at > @now",
                new { customer, now = clock.GetUtcNow() }, tx, cancellationToken: ct));
            var max = options.Value.MaxPendingBookings;
            if (pending >= max)
                return Problems.Conflict("Pending bookings limit",
                    $"You have {pending} bookings waiting for their vendors' confirmation; wait for one or cancel one first.",
                    BookingLimits.Named("Bookings:MaxPendingBookings", max));
            id = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition("""
                INSERT INTO bookings (customer_id, vendor_id, service_id, therapist_id, starts_at, ends_at, address, notes,
                                      price, currency, idempotency_key, created_at, updated_at)
                SELECT @customer, s.vendor_id, s.id, @TherapistId, @StartsAt, @EndsAt, @Address, @Notes, s.price, s.currency, @key, @now, @now
                FROM services s WHERE s.id = @ServiceId AND s.vendor_id = @VendorId AND s.active
                ON CONFLICT (customer_id, idempotency_key) DO NOTHING
                RETURNING id
                """, new { customer, hold.TherapistId, hold.StartsAt, hold.EndsAt, request.Address, request.Notes, key = idempotencyKey,
                    now = clock.GetUtcNow(), hold.ServiceId, hold.VendorId }, tx, cancellationToken: ct));
            if (id is { } created)
                await Audit.WriteAsync(tx, Actor.From(user, http), "booking.create", created, null,
                    new(BookingStatus.Pending, hold.TherapistId), ct);
            await tx.CommitAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.ExclusionViolation or PostgresErrorCodes.UniqueViolation)
        {
            if (await FindAsync(conn, customer, idempotencyKey, ct) is { } raced) return TypedResults.Ok(raced);
            return Conflict("Slot no longer free", "The therapist was booked for this time after your hold lapsed; choose another slot.");
        }

        if (id is not { } bookingId)
            return await FindAsync(conn, customer, idempotencyKey, ct) is { } existing
                ? TypedResults.Ok(existing)
                : Conflict("Service unavailable", "The service is no longer offered; choose another.");

        await holds.ConsumeAsync(hold);
        var booking = (await BookingReader.LoadAsync(conn, null, bookingId, ct))!.Booking;
        await changes.PublishAsync(new BookingChange(booking.Id, customer, booking.VendorId, booking.TherapistId, null, booking.Status, booking.StartsAt));
        return TypedResults.Created($"/api/v1/bookings/{booking.Id}", booking);
    }

    static async Task<BookingDto?> FindAsync(NpgsqlConnection conn, Guid customer, string key, CancellationToken ct)
    {
        var id = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT id FROM bookings WHERE customer_id = @customer AND idempotency_key = @key", new { customer, key }, cancellationToken: ct));
        return id is { } found ? (await BookingReader.LoadAsync(conn, null, found, ct))?.Booking : null;
    }

    static ConflictProblem Conflict(string title, string detail) => Problems.Conflict(title, detail);
}
