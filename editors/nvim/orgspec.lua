-- orgspec in Neovim 0.7 or later: filetype detection and the language server.
-- Copy to ~/.config/nvim/plugin/orgspec.lua (or `require` it from your init.lua).
-- Tried in Neovim 0.7.2 (Debian 12) and 0.12; see docs/editors.md.
--
-- `.org` is also Org mode's extension: a `.org` file is taken for an orgspec spec when its
-- first line that is not blank is a `//` comment or begins with an orgspec item keyword
-- (Org-mode files begin with `#+`, `*` or text).

local items = {
  "use", "spec", "org", "align", "grade", "area", "person", "post", "slot", "pool",
  "service", "agreement", "timeline", "budget", "proposal", "rule", "new", "deleted", "@",
}

local function is_orgspec(bufnr)
  for _, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, 20, false)) do
    local text = vim.trim(line)
    if text ~= "" then
      if text:sub(1, 2) == "//" then return true end
      local word = text:match("^[%a_@]+") or ""
      if word:sub(1, 1) == "@" then return true end
      return vim.tbl_contains(items, word)
    end
  end
  return false
end

if vim.fn.has("nvim-0.8") == 1 then
  vim.filetype.add({
    extension = {
      org = function(_, bufnr)
        if is_orgspec(bufnr) then return "orgspec" end
        return "org"
      end,
    },
  })
else
  -- Neovim 0.7 detects filetypes with filetype.vim (`*.org` is Org mode) unless
  -- `g:do_filetype_lua` is set: decide after it, once the buffer is read.
  vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
    pattern = "*.org",
    callback = function(args)
      if is_orgspec(args.buf) then vim.bo[args.buf].filetype = "orgspec" end
    end,
  })
end

-- The project folder: the nearest one above the file holding `orgspec.toml`, else `.git`,
-- else the file's own folder (`vim.fs.root` is 0.10+; this works from 0.7).
local function root_dir(bufnr)
  local file = vim.api.nvim_buf_get_name(bufnr)
  local start = vim.fn.fnamemodify(file ~= "" and file or vim.fn.getcwd() .. "/x", ":p:h")
  for _, marker in ipairs({ "orgspec.toml", ".git" }) do
    local dir = start
    while true do
      if vim.loop.fs_stat(dir .. "/" .. marker) then return dir end
      local parent = vim.fn.fnamemodify(dir, ":h")
      if parent == dir then break end
      dir = parent
    end
  end
  return start
end

-- One server per project folder, on Neovim 0.7 (0.8+ does this in `vim.lsp.start`).
local clients = {}

local function start(bufnr)
  local config = { name = "orgspec", cmd = { "orgspec", "lsp" }, root_dir = root_dir(bufnr) }
  if vim.lsp.start then
    vim.lsp.start(config, { bufnr = bufnr })
    return
  end
  local id = clients[config.root_dir]
  if not id or not vim.lsp.get_client_by_id(id) then
    config.workspace_folders = { { uri = vim.uri_from_fname(config.root_dir), name = config.root_dir } }
    id = vim.lsp.start_client(config)
    clients[config.root_dir] = id
  end
  if id then vim.lsp.buf_attach_client(bufnr, id) end
end

vim.api.nvim_create_autocmd("FileType", {
  pattern = "orgspec",
  callback = function(args)
    vim.bo[args.buf].commentstring = "// %s"
    vim.bo[args.buf].shiftwidth = 2
    vim.bo[args.buf].expandtab = true
    start(args.buf)
  end,
})
