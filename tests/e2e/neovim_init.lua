-- Neovim 0.7 (Debian) headless: start untilgreen with vim.lsp.start_client, open UG_FILE, write the code
-- action titles at line 5 to UG_OUT, quit. Driven by tests/e2e/test_neovim.py.
local root, file, out = os.getenv("UG_ROOT"), os.getenv("UG_FILE"), os.getenv("UG_OUT")
local cmd = vim.split(os.getenv("UG_CMD"), "\t")
local function write(text)
  local f = io.open(out, "w"); f:write(text); f:close()
end
local id = vim.lsp.start_client({ name = "untilgreen", cmd = cmd, root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = "project" } } })
vim.cmd("edit " .. file)
vim.lsp.buf_attach_client(0, id)
vim.wait(60000, function() local c = vim.lsp.get_client_by_id(id); return c and c.initialized end, 50)
local params = { textDocument = { uri = vim.uri_from_bufnr(0) },
  range = { start = { line = 4, character = 4 }, ["end"] = { line = 4, character = 4 } },
  context = { diagnostics = {} } }
local results = vim.lsp.buf_request_sync(0, "textDocument/codeAction", params, 60000) or {}
local titles = {}
for _, res in pairs(results) do
  for _, action in ipairs(res.result or {}) do table.insert(titles, action.title) end
end
write(table.concat(titles, "\n") .. "\n")
vim.lsp.stop_client(id)
vim.cmd("qa!")
