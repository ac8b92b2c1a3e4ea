namespace Ombaro.Api.Features.Vendors;

/// <summary>What the vendor slices share: the fixed service types, loading, visibility and "something changed".</summary>
public static class VendorCatalog
{
    public static readonly IReadOnlyList<string> ServiceTypes = ["massage", "spa", "salon", "ayurveda", "physiotherapy", "wellness"];
    public const string AllTypes = "all";
    public const string DetailCache = "vendor-detail";
    public const string SearchFamily = "vendor-search";
    public static readonly TimeSpan DetailTtl = TimeSpan.FromMinutes(10);

    public static bool IsStaff(ClaimsPrincipal user) => user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Employee);

    /// <summary>Public vendors for everyone; the others only for their owner, admins and employees.</summary>
    public static bool CanSee(ClaimsPrincipal user, VendorDetail vendor) =>
        vendor.IsPublic || (user.Identity?.IsAuthenticated == true && (IsStaff(user) || vendor.OwnerUserId == user.UserId()));

    /// <summary>Only the owning vendor or an admin may change a listing.</summary>
    public static bool CanEdit(ClaimsPrincipal user, Guid ownerUserId) =>
        user.IsInRole(Roles.Admin) || (user.IsInRole(Roles.Vendor) && user.UserId() == ownerUserId);

    /// <summary>The vendor from this instance's L1, else from the cache Redis, else from PostgreSQL.</summary>
    public static ValueTask<VendorDocument?> GetAsync(L1Cache l1, CacheAside cache, NpgsqlDataSource db, JsonSerializerOptions json, Guid id,
        CancellationToken ct)
    {
        var key = RedisKeys.VendorDetail(id);
        return l1.GetOrLoadAsync(DetailCache, key.ToString(), family: null, async () =>
            await cache.GetOrLoadAsync(DetailCache, key, DetailTtl, c => LoadAsync(db, id, c), ct) is { } vendor
                ? new VendorDocument(vendor, JsonSerializer.SerializeToUtf8Bytes(vendor with { Open = null }, json))
                : null);
    }

    public static async Task<VendorDetail?> LoadAsync(NpgsqlDataSource db, Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        using var read = await conn.QueryMultipleAsync(new CommandDefinition("""
            SELECT id, owner_user_id, name, description, address, city, latitude, longitude, service_types, time_zone, status,
                   verified_at, rating, rating_count
            FROM vendors WHERE id = @id;
            SELECT weekday::int AS weekday, opens, closes FROM vendor_opening_hours WHERE vendor_id = @id ORDER BY weekday, opens;
            SELECT id, name, service_type, description, price, currency, duration_minutes
            FROM services WHERE vendor_id = @id AND active ORDER BY service_type, price;
            """, new { id }, cancellationToken: ct));
        var v = await read.ReadSingleOrDefaultAsync<VendorRow>();
        if (v is null) return null;
        var hours = (await read.ReadAsync<(int Weekday, TimeSpan Opens, TimeSpan Closes)>())
            .Select(h => new Hours(h.Weekday, OpeningHours.Format(h.Opens), OpeningHours.Format(h.Closes))).ToList();
        var services = (await read.ReadAsync<(Guid Id, string Name, string ServiceType, string? Description, decimal Price, string Currency, int DurationMinutes)>())
            .Select(s => new Service(s.Id, s.Name, s.ServiceType, s.Description, s.Price, s.Currency, s.DurationMinutes)).ToList();
        var range = services.Count == 0 ? null : new PriceRange(services.Min(s => s.Price), services.Max(s => s.Price), services[0].Currency);
        return new VendorDetail(v.Id, v.Owner_User_Id, v.Name, v.Description, v.Address, v.City, v.Latitude, v.Longitude,
            v.Service_Types, v.Time_Zone, v.Status, v.Verified_At, v.Rating, v.Rating_Count, hours, services, range);
    }

    /// <summary>The row as stored, read <c>FOR UPDATE</c> by the slices that change it.</summary>
    public static Task<VendorRow?> LockAsync(NpgsqlTransaction tx, Guid id, CancellationToken ct) =>
        tx.Connection!.QuerySingleOrDefaultAsync<VendorRow>(new CommandDefinition("""
            SELECT id, owner_user_id, name, description, address, city, latitude, longitude, service_types, time_zone, status,
                   verified_at, rating, rating_count
            FROM vendors WHERE id = @id FOR UPDATE
            """, new { id }, tx, cancellationToken: ct));

    public static Task ReplaceHoursAsync(NpgsqlTransaction tx, Guid id, IEnumerable<Hours> hours, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition("""
            DELETE FROM vendor_opening_hours WHERE vendor_id = @id;
            INSERT INTO vendor_opening_hours (vendor_id, weekday, opens, closes)
            SELECT @id, w, o::time, c::time FROM unnest(@weekdays, @opens, @closes) AS h(w, o, c);
            """, new
        {
            id,
            weekdays = hours.Select(h => (short)h.Weekday).ToArray(),
            opens = hours.Select(h => h.Opens).ToArray(),
            closes = hours.Select(h => h.Closes).ToArray(),
        }, tx, cancellationToken: ct));

    public sealed class VendorRow
    {
        public Guid Id { get; set; }
        public Guid Owner_User_Id { get; set; }
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        public string Address { get; set; } = "";
        public string City { get; set; } = "";
        public double Latitude { get; set; }
        public double Longitude { get; set; }
        public string[] Service_Types { get; set; } = [];
        public string Time_Zone { get; set; } = "";
        public string Status { get; set; } = "";
        public DateTime? Verified_At { get; set; }
        public decimal? Rating { get; set; }
        public int Rating_Count { get; set; }

        /// <summary>Where the geo index must hold this vendor: its types (and "all") when active and verified, nowhere otherwise.</summary>
        public VendorGeoIndex.Entry GeoEntry => new(Id, Latitude, Longitude, Status == "active" && Verified_At is not null ? Service_Types : []);
    }
}
