namespace Freshet.Nexmark.Model;

/// <summary>A person registering (the nexmark <c>person</c> table). Times are Unix milliseconds.</summary>
/// <param name="Id">Unique person id, from 1000 upwards in creation order.</param>
/// <param name="Name">First and last name.</param>
/// <param name="EmailAddress">Random address.</param>
/// <param name="CreditCard">Four groups of four digits.</param>
/// <param name="City">One of ten US cities.</param>
/// <param name="State">One of six US states (AZ, CA, ID, OR, WA, WY).</param>
/// <param name="DateTime">Event time, Unix milliseconds.</param>
/// <param name="Extra">Padding that brings the average person to about 200 bytes.</param>
public sealed record Person(long Id, string Name, string EmailAddress, string CreditCard, string City, string State, long DateTime, string Extra);
