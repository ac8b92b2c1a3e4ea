namespace Ombaro.Api.Features.Vendors;

/// <summary>Who may manage a vendor's roster: its owner and admins. Vendors are public, so others get 403, not 404.</summary>
public static class VendorAccess
{
    public static async Task<IResult?> DenyUnlessOwnerOrAdminAsync(NpgsqlConnection conn, Guid vendorId, ClaimsPrincipal user, CancellationToken ct)
    {
        var owner = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT owner_user_id FROM vendors WHERE id = @vendorId", new { vendorId }, cancellationToken: ct));
        if (owner is null) return TypedResults.Problem(statusCode: 404, title: "Vendor not found", detail: $"No vendor {vendorId}.");
        if (!Vendors.CanEdit(user, owner.Value))
            return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: "Only the vendor's owner or an admin manages its therapists.");
        return null;
    }
}
