-- wrk: online signings, each by another person from another address (the benchmark's server
-- trusts X-Forwarded-For, as behind the town hall's proxy). BENCH_ORIGIN is the site's origin.
origin = os.getenv("BENCH_ORIGIN")
counter = 0
thread_id = 0

function setup(thread)
  thread:set("thread_id", math.random(1, 100000))
end

-- Names take no digits: the number in letters (0 -> "a", 27 -> "bb").
function letters(n)
  local out = ""
  repeat
    out = string.char(97 + n % 26) .. out
    n = math.floor(n / 26)
  until n == 0
  return out
end

function request()
  counter = counter + 1
  local n = thread_id * 100000 + counter
  local body = "slug=mvz-kalletal&family_name=Last" .. letters(n) .. "&given_names=Erika"
    .. "&birth_date=1970-03-14&street=Lange+Stra%C3%9Fe&house_number=12&postal_code=32689"
    .. "&city=Kalletal&email=last" .. n .. "%40bench.example&consent=on"
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
    ["Origin"] = origin,
    ["X-Forwarded-For"] = string.format("10.%d.%d.%d",
      math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256),
  }
  return wrk.format("POST", "/api/sign_petition", headers, body)
end
