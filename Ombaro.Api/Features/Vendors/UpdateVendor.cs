namespace Ombaro.Api.Features.Vendors;

/// <summary>
/// <c>PUT /api/v1/vendors/{id}</c>: the owning vendor (or an admin) replaces the listing. A moved vendor or changed
/// service types are re-indexed in the same step as the commit; services of types no longer offered are retired.
/// When the owner changes what was verified (name, address, city or coordinates) of a verified vendor, it goes back
/// to <c>pending</c> (out of search and public detail, in the same step) until staff verify it again; audited.
/// An admin's edit keeps the verification.
/// </summary>
public sealed class UpdateVendor : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapVendorsApi().MapPut("/{id:guid}", Handle).RequireAuthorization(p => p.RequireRole(Roles.Vendor, Roles.Admin)).Validate<Listing>()
            .WithName("UpdateVendor").WithSummary("Replaces a vendor listing (owner or admin).");

    static async Task<Results<Ok<VendorDetail>, ValidationProblem, NotFound, ForbidHttpResult>> Handle(
        Guid id, Listing request, ClaimsPrincipal user, HttpContext http, TimeZoneIds zones, [AsParameters] VendorWrites writes, CancellationToken ct)
    {
        var (db, index, vendors, clock) = writes;
        var listing = await request.CanonicalAsync(zones, ct);
        await using (var conn = await db.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            var before = await VendorCatalog.LockAsync(tx, id, ct);
            if (before is null) return TypedResults.NotFound();
            if (!VendorCatalog.CanEdit(user, before.Owner_User_Id))
                return before.GeoEntry.ListedTypes.Count > 0 ? TypedResults.Forbid() : TypedResults.NotFound();

            var review = NeedsReverification(before, listing, user);
            await conn.ExecuteAsync(new CommandDefinition("""
                UPDATE vendors SET name = @Name, description = @Description, address = @Address, city = @City, latitude = @Latitude,
                    longitude = @Longitude, service_types = @ServiceTypes, time_zone = @TimeZone, updated_at = @now,
                    status = CASE WHEN @review THEN 'pending' ELSE status END,
                    verified_at = CASE WHEN @review THEN NULL ELSE verified_at END,
                    verified_by = CASE WHEN @review THEN NULL ELSE verified_by END
                WHERE id = @id;
                UPDATE services SET active = false, updated_at = @now WHERE vendor_id = @id AND active AND NOT service_type = ANY(@ServiceTypes);
                """, new
            {
                id, listing.Name, listing.Description, listing.Address, listing.City, listing.Latitude, listing.Longitude,
                listing.ServiceTypes, listing.TimeZone, review, now = clock.GetUtcNow(),
            }, tx, cancellationToken: ct));
            await VendorCatalog.ReplaceHoursAsync(tx, id, listing.OpeningHours, ct);
            var after = await VendorCatalog.LockAsync(tx, id, ct);
            await AuditLog.WriteAsync(tx, user, http.ClientIp(), "vendor.updated", "vendor", id, before, after, ct);
            if (review)
                await AuditLog.WriteAsync(tx, user, http.ClientIp(), "vendor.reverification-required", "vendor", id,
                    new { before.Name, before.Address, before.City, before.Latitude, before.Longitude, before.Status, VerifiedAt = before.Verified_At },
                    new { after!.Name, after.Address, after.City, after.Latitude, after.Longitude, after.Status, VerifiedAt = after.Verified_At }, ct);
            await index.CommitAsync(tx, before.GeoEntry, after!.GeoEntry, ct);
        }
        await vendors.ChangedAsync(id);
        return await VendorCatalog.LoadAsync(db, id, ct) is { } updated ? TypedResults.Ok(updated) : TypedResults.NotFound();
    }

    /// <summary>What staff verified changed, on a verified vendor, by someone who cannot verify it themselves.</summary>
    static bool NeedsReverification(VendorCatalog.VendorRow before, Listing listing, ClaimsPrincipal user) =>
        before.Verified_At is not null && !user.IsInRole(Roles.Admin)
        && (listing.Name != before.Name || listing.Address != before.Address || listing.City != before.City
            || listing.Latitude != before.Latitude || listing.Longitude != before.Longitude);
}
