namespace Ombaro.Api.Features.Attendance;

/// <summary><c>Attendance</c>: the time zone whose local date a check-in belongs to.</summary>
public sealed class AttendanceOptions
{
    public const string Section = "Attendance";
    public string TimeZone { get; set; } = "Asia/Kolkata";
}
