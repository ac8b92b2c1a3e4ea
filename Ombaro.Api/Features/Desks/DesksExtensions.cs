using Ombaro.Api.Features.Admin;
using Ombaro.Api.Features.Attendance;
using Ombaro.Api.Features.Therapists;

namespace Ombaro.Api.Features.Desks;

public static class DesksExtensions
{
    /// <summary>The role desks, each registered by its own area: therapist earnings, employee attendance, admin console.</summary>
    public static IServiceCollection AddDesks(this IServiceCollection services) =>
        services.AddTherapists().AddAttendance().AddAdmin();
}
