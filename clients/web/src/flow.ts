// A customer's first booking through the generated client, as a web app does it:
// OTP sign-in, search, vendor detail, availability, hold, booking. Run by the API's test suite
// (Ombaro.Tests/Contract/WebClientTests.cs) against a real port:
//   OMBARO_URL=http://127.0.0.1:5080 OMBARO_MOBILE=+9198... OMBARO_LAT=.. OMBARO_LNG=.. OMBARO_DATE=YYYY-MM-DD node dist/flow.js
// It prints "otp-requested" and reads the code from standard input (the tests read it from their SMS capture).
import { createInterface } from "node:readline";
import { randomUUID } from "node:crypto";
import { createOmbaroClient } from "./index.js";

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function ok<T>(step: string, result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) throw new Error(`${step}: ${result.response.status} ${JSON.stringify(result.error)}`);
  return result.data;
}

async function readLine(): Promise<string> {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line.trim();
  }
  throw new Error("standard input closed before the code arrived");
}

let token: string | undefined;
const api = createOmbaroClient(setting("OMBARO_URL"), () => token);
const mobile = setting("OMBARO_MOBILE");
const [lat, lng, date] = [Number(setting("OMBARO_LAT")), Number(setting("OMBARO_LNG")), setting("OMBARO_DATE")];

ok("request code", await api.POST("/api/v1/auth/otp/request", { body: { mobile } }));
console.log("otp-requested");
const code = await readLine();
const session = ok("verify code", await api.POST("/api/v1/auth/otp/verify", { body: { mobile, code } }));
token = session.token;

const found = ok("search", await api.GET("/api/v1/vendors/search", { params: { query: { lat, lng, radiusKm: 2, type: "massage" } } }));
const listing = found.vendors[0];
if (!listing) throw new Error("search found no vendor");
const vendor = ok("vendor detail", await api.GET("/api/v1/vendors/{id}", { params: { path: { id: listing.id } } }));
const service = vendor.services[0];
if (!service) throw new Error(`vendor ${vendor.id} offers no service`);
const free = ok("availability", await api.GET("/api/v1/vendors/{id}/availability",
  { params: { path: { id: vendor.id }, query: { date, serviceId: service.id } } }));
const slot = free.slots[0];
if (!slot) throw new Error("no free slot");
const hold = ok("hold", await api.POST("/api/v1/bookings/holds",
  { body: { vendorId: vendor.id, serviceId: service.id, date, startTime: slot.startTime } }));
const booking = ok("booking", await api.POST("/api/v1/bookings", {
  params: { header: { "Idempotency-Key": randomUUID() } },
  body: { holdToken: hold.holdToken, address: "1 Client Street", notes: null },
}));
console.log(JSON.stringify({ bookingId: booking.id, status: booking.status, vendorId: vendor.id, startTime: slot.startTime }));
