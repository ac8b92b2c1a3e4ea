namespace Ombaro.Api.Features.Vendors;

/// <summary>The services every write to a vendor listing uses, bound with <c>[AsParameters]</c>.</summary>
public sealed record VendorWrites(NpgsqlDataSource Db, VendorGeoIndex Index, VendorCaches Caches, TimeProvider Clock);
