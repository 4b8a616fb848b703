-- orgspec in Neovim (0.10+): filetype detection and the language server.
-- Copy to ~/.config/nvim/plugin/orgspec.lua (or `require` it from your init.lua).
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

vim.filetype.add({
  extension = {
    org = function(_, bufnr)
      if is_orgspec(bufnr) then return "orgspec" end
      return "org"
    end,
  },
})

vim.api.nvim_create_autocmd("FileType", {
  pattern = "orgspec",
  callback = function(args)
    vim.bo[args.buf].commentstring = "// %s"
    vim.bo[args.buf].shiftwidth = 2
    vim.bo[args.buf].expandtab = true
    vim.lsp.start({
      name = "orgspec",
      cmd = { "orgspec", "lsp" },
      root_dir = vim.fs.root(args.buf, { "orgspec.toml", ".git" }),
    })
  end,
})
