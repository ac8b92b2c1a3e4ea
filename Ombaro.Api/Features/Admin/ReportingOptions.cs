namespace Ombaro.Api.Features.Admin;

/// <summary><c>Reporting</c>: the zone of the platform-wide "today" and of admin revenue days.</summary>
public sealed class ReportingOptions
{
    public const string Section = "Reporting";
    public string TimeZone { get; set; } = "Asia/Kolkata";
}
