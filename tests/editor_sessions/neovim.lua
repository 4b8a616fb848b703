-- A Neovim session with the shipped setup (editors/nvim/orgspec.lua), headless: open
-- $SPEC, wait for the server, try its features, and write what happened to $OUT, a line
-- each (tests/editors.rs reads it). Runs on Neovim 0.7 to current.
local out = {}
local function say(s) table.insert(out, s) end
local function finish()
  local f = io.open(os.getenv("OUT"), "w"); f:write(table.concat(out, "\n") .. "\n"); f:close()
  vim.cmd("qa!")
end
local ok, err = pcall(function()
  vim.cmd("edit " .. os.getenv("SPEC"))
  local buf = vim.api.nvim_get_current_buf()
  say("version " .. tostring(vim.version().major) .. "." .. tostring(vim.version().minor))
  say("filetype " .. vim.bo.filetype)
  local attached = vim.wait(15000, function() return #vim.lsp.get_active_clients({ bufnr = buf }) > 0 end, 50)
  say("attached " .. (attached and "t" or "nil"))
  local client = (vim.lsp.get_active_clients({ bufnr = buf }))[1]
  say("client " .. (client and client.name or "none") .. " root " .. (client and client.config.root_dir or "none"))
  vim.wait(15000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  local diags = vim.diagnostic.get(buf)
  table.sort(diags, function(a, b) return a.lnum < b.lnum end)
  say("diagnostics " .. #diags)
  for _, d in ipairs(diags) do say(string.format("  %d:%d %s %s", d.lnum + 1, d.col + 1, tostring(d.code), (d.message:gsub("\n", " ")))) end
  -- go to definition of the first `reports_to` target
  local line = vim.fn.search("reports_to \\zs\\w", "w")
  local pos = vim.api.nvim_win_get_cursor(0)
  local params = vim.lsp.util.make_position_params(0, "utf-16")
  local res = vim.lsp.buf_request_sync(buf, "textDocument/definition", params, 5000) or {}
  for _, r in pairs(res) do
    local loc = r.result and (r.result[1] or r.result)
    if loc then say("definition " .. vim.fn.fnamemodify(vim.uri_to_fname(loc.uri or loc.targetUri), ":t") .. ":" .. ((loc.range or loc.targetSelectionRange).start.line + 1)) end
  end
  local hover = vim.lsp.buf_request_sync(buf, "textDocument/hover", params, 5000) or {}
  for _, r in pairs(hover) do
    if r.result then say("hover " .. (r.result.contents.value or ""):gsub("\n.*", "")) end
  end
  -- completion after `reports_to `
  local comp = vim.lsp.buf_request_sync(buf, "textDocument/completion", params, 5000) or {}
  for _, r in pairs(comp) do
    local items = r.result and (r.result.items or r.result) or {}
    say("completion " .. #items)
  end
  -- formatting: mess a line up, format, see it restored
  vim.api.nvim_buf_set_lines(buf, 0, 0, false, { "org   zz  \"Z\"   {kind council}" })
  if vim.lsp.buf.format then vim.lsp.buf.format({ bufnr = buf, timeout_ms = 5000 })
  else vim.lsp.buf.formatting_sync(nil, 5000) end
  say("formatted " .. vim.api.nvim_buf_get_lines(buf, 0, 1, false)[1])
end)
if not ok then say("error " .. tostring(err)) end
finish()
