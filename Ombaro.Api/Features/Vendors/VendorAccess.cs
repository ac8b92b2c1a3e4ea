namespace Ombaro.Api.Features.Vendors;

/// <summary>
/// Who may manage a vendor's roster: its owner and admins. Vendors are public, so others get 403, not 404. A handler
/// returns the answer as the <see cref="NotFoundProblem"/> or <see cref="ForbiddenProblem"/> its signature declares.
/// </summary>
public static class VendorAccess
{
    public static async Task<ProblemResult?> DenyUnlessOwnerOrAdminAsync(NpgsqlConnection conn, Guid vendorId, ClaimsPrincipal user, CancellationToken ct)
    {
        var owner = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT owner_user_id FROM vendors WHERE id = @vendorId", new { vendorId }, cancellationToken: ct));
        if (owner is null) return Problems.NotFound("Vendor not found", $"No vendor {vendorId}.");
        if (!VendorCatalog.CanEdit(user, owner.Value))
            return Problems.Forbidden("Forbidden", "Only the vendor's owner or an admin manages its therapists.");
        return null;
    }
}
