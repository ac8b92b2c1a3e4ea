namespace Ombaro.Tests.Features.Bookings;

[Collection(ApiCollection.Name)]
public sealed class ReleaseHoldTests(ApiFixture api)
{
    static readonly DateOnly Day = BookingWorld.FutureDate;

    [Fact]
    public async Task release_by_someone_else_does_nothing_and_by_the_owner_frees_every_slot()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var token = await world.HoldTokenAsync(world.Customer, world.Service60, Day, "10:00");
        var locks = new[] { RedisKeys.BookingLock(world.VendorId, Day, world.Therapist.Id, new(10, 0)), RedisKeys.BookingLock(world.VendorId, Day, world.Therapist.Id, new(10, 30)) };
        var owner = await api.Redis.StringGetAsync(locks[0]);
        var stranger = await api.Host.SignInAsync(Roles.Customer);

        await (await world.Client(stranger).DeleteAsync($"/api/v1/bookings/holds/{token}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(2, await api.Redis.KeyExistsAsync(locks));
        Assert.Equal(owner, await api.Redis.StringGetAsync(locks[1]));

        var released = await world.Client(world.Customer).DeleteAsync($"/api/v1/bookings/holds/{token}");
        Assert.Equal(HttpStatusCode.NoContent, released.StatusCode);
        Assert.Equal(0, await api.Redis.KeyExistsAsync(locks));
        Assert.Equal(0, await api.Redis.SortedSetLengthAsync(RedisKeys.BookingCustomerHolds(world.Customer.Id)));   // no longer counted
        await world.HoldTokenAsync(stranger, world.Service30, Day, "10:30");   // free for the next customer
    }

    [Fact]
    public async Task releasing_a_lapsed_hold_leaves_the_new_owners_lock_alone()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        var token = await world.HoldTokenAsync(world.Customer, world.Service30, Day, "10:00");
        var slot = RedisKeys.BookingLock(world.VendorId, Day, world.Therapist.Id, new(10, 0));
        await api.Redis.KeyDeleteAsync(slot);                                   // the first hold's slot lapsed...
        var next = await api.Host.SignInAsync(Roles.Customer);
        await world.HoldTokenAsync(next, world.Service30, Day, "10:00");       // ...and someone else took it
        var newOwner = await api.Redis.StringGetAsync(slot);

        Assert.Equal(HttpStatusCode.NoContent, (await world.Client(world.Customer).DeleteAsync($"/api/v1/bookings/holds/{token}")).StatusCode);

        Assert.Equal(newOwner, await api.Redis.StringGetAsync(slot));
    }

    [Fact]
    public async Task a_malformed_token_is_404()
    {
        var world = await BookingWorld.CreateAsync(api.Host);
        await (await world.Client(world.Customer).DeleteAsync("/api/v1/bookings/holds/not-a-token")).ProblemAsync(HttpStatusCode.NotFound);
    }
}
