using Ombaro.Api.Infrastructure.Auth;

namespace Ombaro.Tests.Infrastructure;

public sealed class MobileNumberTests
{
    [Theory]
    [InlineData("+919876543210", "+919876543210")]
    [InlineData("09876543210", "+919876543210")]
    [InlineData("9876543210", "+919876543210")]
    [InlineData("+91 98765 43210", "+919876543210")]
    [InlineData("+91-98765-43210", "+919876543210")]
    [InlineData("+919000000001", "+919000000001")]
    [InlineData("+14155552671", "+14155552671")]
    public void valid_numbers_become_e164(string input, string expected) => Assert.Equal(expected, MobileNumber.Normalize(input));

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("+91987654321099")]
    [InlineData("not a number")]
    [InlineData("+0000000000")]
    public void invalid_numbers_are_refused(string input) => Assert.Null(MobileNumber.Normalize(input));
}
