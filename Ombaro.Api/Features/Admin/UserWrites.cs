namespace Ombaro.Api.Features.Admin;

/// <summary>The services a write to a user's role or status uses, bound with <c>[AsParameters]</c>.</summary>
public sealed record UserWrites(NpgsqlDataSource Db, UserCaches Caches, TimeProvider Clock);
