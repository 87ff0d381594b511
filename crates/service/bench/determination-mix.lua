-- wrk: POST /v1/determinations with a realistic mix rather than one request repeated: each
-- request a random catalog product × destination × date (dates none of the dictionary's
-- training samples used: crates/service/src/records/dictionary.rs), a third of them with an
-- end user whose headquarters are given. Every determination is recorded before it is
-- answered. Each wrk thread seeds its own generator.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local products = { "amd-mi250x", "amd-mi300x", "amd-mi308x", "amd-mi355x", "apple-m3-max", "cambricon-mlu290-m5", "cambricon-mlu370-x8", "desktop-nvidia-rtx-4090", "google-tpu-v5p", "huawei-ascend-910b", "huawei-ascend-910c", "intel-gaudi2-hl225h", "intel-gaudi3-hl325l", "intel-gaudi3-hl328", "nvidia-a10", "nvidia-a100-pcie-40gb", "nvidia-a100-pcie-80gb", "nvidia-a100-sxm4-40gb", "nvidia-a100-sxm4-80gb", "nvidia-a800-pcie-80gb", "nvidia-a800-sxm4-80gb", "nvidia-b100", "nvidia-b200", "nvidia-b30a", "nvidia-dgx-a100", "nvidia-dgx-b200", "nvidia-dgx-h100", "nvidia-gb200-nvl72", "nvidia-gb200-superchip", "nvidia-h100-pcie-80gb", "nvidia-h100-sxm5-80gb", "nvidia-h20", "nvidia-h200-sxm-141gb", "nvidia-h800-sxm5-80gb", "nvidia-hgx-h100", "nvidia-hgx-h20", "nvidia-hgx-h200", "nvidia-hgx-h800", "nvidia-l2", "nvidia-l20", "nvidia-l4", "nvidia-l40", "nvidia-l40s", "nvidia-rtx-4080", "nvidia-rtx-4090", "nvidia-rtx-4090d", "nvidia-rtx-5090", "nvidia-rtx-5090d", "nvidia-rtx-6000-ada", "server-8x-nvidia-l40", "server-8x-nvidia-l40s", "workstation-4x-nvidia-rtx-6000-ada" }
local destinations = { "CN", "HK", "MO", "RU", "IR", "KP", "AE", "SA", "IN", "DE", "JP", "GB", "IL", "VN",
  "SG", "MY", "BR", "UA", "TW", "KR", "MX", "FR" }
local dates = { "2025-04-20", "2024-06-01", "2023-11-20", "2025-10-01", "2026-06-01" }
local headquarters = { "CN", "US", "MO" }

local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + (id or 0))
end

function request()
  local dest = destinations[math.random(#destinations)]
  local party = ""
  if math.random(3) == 1 then
    party = string.format(',"party":[{"role":"end_user","country":"%s","headquarters":"%s"}]', dest,
      headquarters[math.random(#headquarters)])
  end
  local body = string.format('{"product":"%s","destination":"%s","date":"%s"%s}',
    products[math.random(#products)], dest, dates[math.random(#dates)], party)
  return wrk.format(nil, nil, nil, body)
end
