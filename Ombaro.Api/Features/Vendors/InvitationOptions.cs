namespace Ombaro.Api.Features.Vendors;

/// <summary>How long a therapist has to accept a vendor's invitation (<c>Invitations:Lifetime</c>, default 7 days).</summary>
public sealed class InvitationOptions
{
    public const string Section = "Invitations";
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(7);
}
