namespace Ombaro.Api.Features.Bookings;

public sealed record BookingPage(IReadOnlyList<BookingDto> Items, int Page, int PageSize, long Total);

/// <summary>
/// Booking lists by role, cached per owner: <c>ombaro:cache:bookings:{role}:{owner}:g{generation}:{filters}</c>. Every change
/// bumps the generation of each affected owner (<see cref="BookingCaches"/>), so older pages are never served.
/// </summary>
public sealed class BookingLists(NpgsqlDataSource db, CacheAside cache, IOptions<BookingOptions> options)
{
    /// <summary>Whose bookings: the role decides the column; admins see all.</summary>
    public sealed record Scope(string Role, Guid Owner)
    {
        internal string Where => Role switch
        {
            Roles.Customer => "b.customer_id = @owner",
            Roles.Therapist => "b.therapist_id = @owner",
            Roles.Vendor => "v.owner_user_id = @owner",
            Roles.Admin => "TRUE",
            _ => "FALSE",
        };
    }

    /// <summary>The generation family of one owner's lists (admins share one).</summary>
    public static string Family(string role, Guid? owner) => role == Roles.Admin ? "bookings:admin" : $"bookings:{role}:{owner}";

    /// <param name="statuses">statuses to list when the filter names none (null: all)</param>
    /// <param name="upcomingFirst">ascending start time (agenda) instead of the newest first</param>
    public async Task<BookingPage> ListAsync(Scope scope, ListFilter filter, IReadOnlyList<string>? statuses, bool upcomingFirst, CancellationToken ct)
    {
        var family = Family(scope.Role, scope.Owner);
        var generation = await cache.GenerationAsync(family);
        var key = RedisKeys.Cache("bookings", family, $"g{generation}", upcomingFirst ? "asc" : "desc", filter.PageNumber, filter.Size,
            filter.Status ?? (statuses is null ? "-" : string.Join('+', statuses)), Stamp(filter.From), Stamp(filter.To));
        return (await cache.GetOrLoadAsync("booking-list", key, options.Value.ListCacheTtl, c => LoadAsync(scope, filter, statuses, upcomingFirst, c), ct))!;
    }

    async Task<BookingPage?> LoadAsync(Scope scope, ListFilter filter, IReadOnlyList<string>? statuses, bool upcomingFirst, CancellationToken ct)
    {
        var where = $"""
            {scope.Where} AND (@statuses::text[] IS NULL OR b.status = ANY(@statuses))
            AND (@from::timestamptz IS NULL OR b.starts_at >= @from) AND (@to::timestamptz IS NULL OR b.starts_at < @to)
            """;
        var args = new
        {
            owner = scope.Owner,
            statuses = filter.Status is { } s ? new[] { s } : statuses?.ToArray(),
            from = filter.From?.ToUniversalTime(), to = filter.To?.ToUniversalTime(),   // Npgsql writes only UTC offsets
            limit = filter.Size, offset = Paging.Offset(filter.PageNumber, filter.Size),
        };
        await using var conn = await db.OpenConnectionAsync(ct);
        var total = await conn.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM bookings b JOIN vendors v ON v.id = b.vendor_id WHERE {where}", args, cancellationToken: ct));
        var rows = await conn.QueryAsync<BookingReader.Row>(new CommandDefinition($"""
            SELECT {BookingReader.Columns} FROM bookings b JOIN vendors v ON v.id = b.vendor_id WHERE {where}
            ORDER BY b.starts_at {(upcomingFirst ? "ASC" : "DESC")}, b.id LIMIT @limit OFFSET @offset
            """, args, cancellationToken: ct));
        return new BookingPage(rows.Select(r => r.ToRecord().Booking).ToList(), filter.PageNumber, filter.Size, total);
    }

    static string Stamp(DateTimeOffset? t) => t?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? "-";
}
