namespace Ombaro.Api.Features.Vendors;

/// <summary>
/// <c>POST /api/v1/vendors/{id}/verify</c> and <c>/deactivate</c>: an admin or employee puts a vendor into search or
/// takes it out. The geo sets change in the same step as the commit; the audit log records who did it.
/// </summary>
public sealed class VendorVerification : ICarterModule
{
    public sealed record DeactivateRequest([property: MaxLength(500)] string? Reason = null);

    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var staff = app.MapVendorsApi().MapGroup("").RequireAuthorization(p => p.RequireRole(Roles.Admin, Roles.Employee));
        staff.MapPost("/{id:guid}/verify", Verify)
            .WithName("VerifyVendor").WithSummary("Verifies and activates a vendor, so it appears in search (admin or employee).");
        staff.MapPost("/{id:guid}/deactivate", Deactivate)
            .WithName("DeactivateVendor").WithSummary("Deactivates a vendor, taking it out of search at once (admin or employee).");
    }

    static Task<Results<Ok<VendorDetail>, NotFound>> Verify(
        Guid id, ClaimsPrincipal user, HttpContext http, [AsParameters] VendorWrites writes, CancellationToken ct) =>
        SetStatus(id, "active", "vendor.verified", null, user, http, writes, ct);

    static Task<Results<Ok<VendorDetail>, NotFound>> Deactivate(
        Guid id, DeactivateRequest? request, ClaimsPrincipal user, HttpContext http, [AsParameters] VendorWrites writes, CancellationToken ct) =>
        SetStatus(id, "inactive", "vendor.deactivated", request?.Reason, user, http, writes, ct);

    static async Task<Results<Ok<VendorDetail>, NotFound>> SetStatus(
        Guid id, string status, string action, string? reason, ClaimsPrincipal user, HttpContext http, VendorWrites writes, CancellationToken ct)
    {
        var (db, index, vendors, clock) = writes;
        await using (var conn = await db.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            var before = await VendorCatalog.LockAsync(tx, id, ct);
            if (before is null) return TypedResults.NotFound();
            await conn.ExecuteAsync(new CommandDefinition("""
                UPDATE vendors SET status = @status, updated_at = @now,
                    verified_at = CASE WHEN @verify THEN @now ELSE verified_at END,
                    verified_by = CASE WHEN @verify THEN @by ELSE verified_by END
                WHERE id = @id
                """, new { id, status, verify = status == "active", now = clock.GetUtcNow().UtcDateTime, by = user.UserId() }, tx, cancellationToken: ct));
            var after = await VendorCatalog.LockAsync(tx, id, ct);
            await AuditLog.WriteAsync(tx, user, http.ClientIp(), action, "vendor", id,
                new { before.Status, VerifiedAt = before.Verified_At }, new { after!.Status, VerifiedAt = after.Verified_At, reason }, ct);
            await index.CommitAsync(tx, before.GeoEntry, after.GeoEntry, ct);
        }
        await vendors.ChangedAsync(id);
        return await VendorCatalog.LoadAsync(db, id, ct) is { } vendor ? TypedResults.Ok(vendor) : TypedResults.NotFound();
    }
}
