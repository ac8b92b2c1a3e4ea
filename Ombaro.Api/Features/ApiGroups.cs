namespace Ombaro.Api.Features;

/// <summary>
/// The route group of every area, made here and nowhere else: its prefix under <c>/api/v1</c>, its OpenAPI tag and the
/// authorization all of its routes need. A route narrows it (a role) where an area serves several roles.
/// </summary>
public static class ApiGroups
{
    public const string Prefix = "/api/v1";

    /// <summary>The admin console: admins only.</summary>
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder app) =>
        app.MapGroup(Prefix + "/admin").WithTags("Admin").RequireAuthorization(Roles.Admin);

    /// <summary>Redis operations for admins (a tag of its own).</summary>
    public static RouteGroupBuilder MapOpsApi(this IEndpointRouteBuilder app) =>
        app.MapGroup(Prefix + "/admin/ops").WithTags("Ops").RequireAuthorization(Roles.Admin);

    /// <summary>Sign-in (anonymous, under <c>/otp</c>) and the caller's sessions (signed in): each route says which.</summary>
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder app) => app.MapGroup(Prefix + "/auth").WithTags("Auth");

    /// <summary>Attendance: employees record, admins also list; each route names its roles.</summary>
    public static RouteGroupBuilder MapAttendanceApi(this IEndpointRouteBuilder app) =>
        app.MapGroup(Prefix + "/attendance").WithTags("Attendance").RequireAuthorization();

    /// <summary>The employee desk: employees only.</summary>
    public static RouteGroupBuilder MapEmployeeApi(this IEndpointRouteBuilder app) =>
        app.MapGroup(Prefix + "/employee").WithTags("Employee").RequireAuthorization(Roles.Employee);

    /// <summary>The vendor desk: vendors only.</summary>
    public static RouteGroupBuilder MapVendorDeskApi(this IEndpointRouteBuilder app) =>
        app.MapGroup(Prefix + "/vendor").WithTags("Vendor desk").RequireAuthorization(Roles.Vendor);

    /// <summary>The caller's own profile: any signed-in role.</summary>
    public static RouteGroupBuilder MapProfileApi(this IEndpointRouteBuilder app) =>
        app.MapGroup(Prefix + "/profile").WithTags("Profile").RequireAuthorization();

    /// <summary>The catalog: search and detail are public, writes name their roles.</summary>
    public static RouteGroupBuilder MapVendorsApi(this IEndpointRouteBuilder app) => app.MapGroup(Prefix + "/vendors").WithTags("Vendors");

    /// <summary>Therapists' locations, earnings and invitations; each route names its roles.</summary>
    public static RouteGroupBuilder MapTherapistsApi(this IEndpointRouteBuilder app) => app.MapGroup(Prefix + "/therapists").WithTags("Therapists");

    /// <summary>Bookings live under several resources of <c>/api/v1</c>; every route is signed in.</summary>
    public static RouteGroupBuilder MapBookingsApi(this IEndpointRouteBuilder app) =>
        app.MapGroup(Prefix).WithTags("Bookings").RequireAuthorization();
}
