namespace Ombaro.Api.Features.Bookings;

/// <summary>Reads bookings from PostgreSQL; single bookings through the booking cache (1 h).</summary>
public sealed class BookingReader(NpgsqlDataSource db, CacheAside cache)
{
    public static readonly TimeSpan CacheTtl = TimeSpan.FromHours(1);

    /// <summary>Columns of <see cref="Row"/>; the query must name the booking <c>b</c> and its vendor <c>v</c>.</summary>
    internal const string Columns = """
        b.id AS Id, b.customer_id AS CustomerId, b.vendor_id AS VendorId, b.service_id AS ServiceId,
        b.therapist_id AS TherapistId, b.status AS Status, b.starts_at AS StartsAt, b.ends_at AS EndsAt,
        b.address AS Address, b.notes AS Notes, b.price AS Price, b.currency AS Currency, b.cancel_reason AS CancelReason,
        b.created_at AS CreatedAt, b.updated_at AS UpdatedAt, b.completed_at AS CompletedAt, v.owner_user_id AS VendorOwnerId
        """;

    public Task<BookingRecord?> GetAsync(Guid id, CancellationToken ct) =>
        cache.GetOrLoadAsync("booking", RedisKeys.Booking(id), CacheTtl, c => LoadAsync(id, c), ct);

    public async Task<BookingRecord?> LoadAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await LoadAsync(conn, null, id, ct);
    }

    internal static async Task<BookingRecord?> LoadAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid id, CancellationToken ct)
    {
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM bookings b JOIN vendors v ON v.id = b.vendor_id WHERE b.id = @id", new { id }, tx, cancellationToken: ct));
        return row?.ToRecord();
    }

    /// <summary>One row as PostgreSQL returns it (timestamptz arrives as UTC <see cref="DateTime"/>).</summary>
    internal sealed class Row
    {
        public Guid Id { get; init; }
        public Guid CustomerId { get; init; }
        public Guid VendorId { get; init; }
        public Guid ServiceId { get; init; }
        public Guid? TherapistId { get; init; }
        public string Status { get; init; } = "";
        public DateTime StartsAt { get; init; }
        public DateTime EndsAt { get; init; }
        public string Address { get; init; } = "";
        public string? Notes { get; init; }
        public decimal Price { get; init; }
        public string Currency { get; init; } = "";
        public string? CancelReason { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime UpdatedAt { get; init; }
        public DateTime? CompletedAt { get; init; }
        public Guid VendorOwnerId { get; init; }

        public BookingRecord ToRecord() => new(new BookingDto(Id, CustomerId, VendorId, ServiceId, TherapistId, Status,
            Utc(StartsAt), Utc(EndsAt), Address, Notes, Price, Currency, CancelReason, Utc(CreatedAt), Utc(UpdatedAt),
            CompletedAt is { } c ? Utc(c) : null), VendorOwnerId);

    }

    /// <summary>A timestamptz as Npgsql returns it (a UTC <see cref="DateTime"/>) as an instant.</summary>
    internal static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
}
