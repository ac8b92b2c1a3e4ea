using Ombaro.Api.Features.Admin;
using Ombaro.Api.Features.Attendance;
using Ombaro.Api.Features.Bookings;
using Ombaro.Api.Features.Employee;
using Ombaro.Api.Features.Platform;
using Ombaro.Api.Features.Therapists;
using Ombaro.Api.Features.Vendors;

namespace Ombaro.Api.Infrastructure.Json;

/// <summary>Source-generated JSON for the types the API writes to HTTP and Redis.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Health.Response))]
[JsonSerializable(typeof(BookingDto))]
[JsonSerializable(typeof(BookingRecord))]
[JsonSerializable(typeof(BookingPage))]
[JsonSerializable(typeof(GetAvailability.Response), TypeInfoPropertyName = "GetAvailabilityResponse")]
[JsonSerializable(typeof(PlaceHold.Request), TypeInfoPropertyName = "PlaceHoldRequest")]
[JsonSerializable(typeof(PlaceHold.Response), TypeInfoPropertyName = "PlaceHoldResponse")]
[JsonSerializable(typeof(CreateBooking.Request), TypeInfoPropertyName = "CreateBookingRequest")]
[JsonSerializable(typeof(AssignBooking.Request), TypeInfoPropertyName = "AssignBookingRequest")]
[JsonSerializable(typeof(CancelBooking.Request), TypeInfoPropertyName = "CancelBookingRequest")]
[JsonSerializable(typeof(Ombaro.Api.Features.Ops.GetRedisOps.Response), TypeInfoPropertyName = "RedisOpsResponse")]
// Desks (and the admin routes of identity): admin, attendance, employee, therapist earnings, vendor desk and roster (HTTP bodies and cached values).
[JsonSerializable(typeof(GetDashboard.Response), TypeInfoPropertyName = "AdminDashboardResponse")]
[JsonSerializable(typeof(GetDashboard.Counts), TypeInfoPropertyName = "AdminDashboardCounts")]
[JsonSerializable(typeof(GetAuditLog.Response), TypeInfoPropertyName = "AuditLogResponse")]
[JsonSerializable(typeof(GetRevenue.Response), TypeInfoPropertyName = "RevenueResponse")]
[JsonSerializable(typeof(ListUsers.Response), TypeInfoPropertyName = "ListUsersResponse")]
[JsonSerializable(typeof(CreateUser.Request), TypeInfoPropertyName = "CreateUserRequest")]
[JsonSerializable(typeof(CreateUser.Response), TypeInfoPropertyName = "CreateUserResponse")]
[JsonSerializable(typeof(UpdateUser.Request), TypeInfoPropertyName = "UpdateUserRequest")]
[JsonSerializable(typeof(UpdateUser.Response), TypeInfoPropertyName = "UpdateUserResponse")]
[JsonSerializable(typeof(AssignTerritory.Request), TypeInfoPropertyName = "AssignTerritoryRequest")]
[JsonSerializable(typeof(AssignTerritory.Response), TypeInfoPropertyName = "AssignTerritoryResponse")]
[JsonSerializable(typeof(AttendanceRecord))]
[JsonSerializable(typeof(PositionRequest))]
[JsonSerializable(typeof(GetToday.Response), TypeInfoPropertyName = "AttendanceTodayResponse")]
[JsonSerializable(typeof(ListAttendance.Response), TypeInfoPropertyName = "ListAttendanceResponse")]
[JsonSerializable(typeof(GetReports.Response), TypeInfoPropertyName = "EmployeeReportsResponse")]
[JsonSerializable(typeof(GetReports.Day), TypeInfoPropertyName = "EmployeeReportDay")]   // nested names that collide need their own
[JsonSerializable(typeof(IReadOnlyList<GetReports.Day>), TypeInfoPropertyName = "EmployeeReportDays")]
[JsonSerializable(typeof(ListTerritoryVendors.Response), TypeInfoPropertyName = "TerritoryVendorsResponse")]
[JsonSerializable(typeof(ListTerritoryVendors.VendorList), TypeInfoPropertyName = "TerritoryVendorList")]
[JsonSerializable(typeof(RecordVisit.Request), TypeInfoPropertyName = "RecordVisitRequest")]
[JsonSerializable(typeof(RecordVisit.Response), TypeInfoPropertyName = "RecordVisitResponse")]
[JsonSerializable(typeof(GetEarnings.Response), TypeInfoPropertyName = "EarningsResponse")]
[JsonSerializable(typeof(GetEarnings.Day), TypeInfoPropertyName = "EarningsDay")]
[JsonSerializable(typeof(IReadOnlyList<GetEarnings.Day>), TypeInfoPropertyName = "EarningsDays")]
[JsonSerializable(typeof(Ombaro.Api.Features.VendorDesk.GetDashboard.Response), TypeInfoPropertyName = "VendorDashboardResponse")]
[JsonSerializable(typeof(ListVendorTherapists.Response), TypeInfoPropertyName = "VendorTherapistsResponse")]
[JsonSerializable(typeof(ListVendorTherapists.Roster), TypeInfoPropertyName = "VendorRoster")]
[JsonSerializable(typeof(AddVendorTherapist.Request), TypeInfoPropertyName = "AddVendorTherapistRequest")]
[JsonSerializable(typeof(AddVendorTherapist.Response), TypeInfoPropertyName = "AddVendorTherapistResponse")]
public sealed partial class AppJsonContext : JsonSerializerContext;
