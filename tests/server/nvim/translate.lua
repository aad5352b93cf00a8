-- Headless Neovim as the LSP client: start `transverify serve`, ask for the code action on
-- the Fortran unit under the cursor, run it, let Neovim apply the server's workspace edit,
-- write every buffer, and report what happened as JSON in $TV_RESULT.
local result = { steps = {} }

local function finish(status, detail)
  result.status = status
  result.detail = detail
  local file = assert(io.open(vim.env.TV_RESULT, "w"))
  file:write(vim.json.encode(result))
  file:close()
  vim.cmd("qall!")
end

local ok, err = pcall(function()
  local settings = vim.json.decode(vim.env.TV_SETTINGS)
  local source = vim.env.TV_SOURCE
  vim.cmd("edit " .. vim.fn.fnameescape(source))
  local bufnr = vim.api.nvim_get_current_buf()
  local ready = false
  local client_id = vim.lsp.start_client({
    name = "transverify",
    cmd = vim.json.decode(vim.env.TV_SERVER_CMD),
    root_dir = vim.fn.fnamemodify(source, ":h"),
    -- Neovim 0.7 answers no workspace/configuration: settings go in initializationOptions.
    init_options = { settings = settings },
    on_init = function() ready = true end,
  })
  assert(client_id, "the language server did not start")
  vim.lsp.buf_attach_client(bufnr, client_id)
  assert(vim.wait(60000, function() return ready end, 50), "no initialize response")
  table.insert(result.steps, "initialized")

  vim.api.nvim_win_set_cursor(0, { tonumber(vim.env.TV_LINE), 4 })
  local params = vim.lsp.util.make_range_params()
  params.context = { diagnostics = {} }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, 30000)
  local action
  for _, response in pairs(responses or {}) do
    for _, candidate in ipairs(response.result or {}) do
      if candidate.title == vim.env.TV_ACTION then action = candidate end
    end
  end
  assert(action, "no '" .. vim.env.TV_ACTION .. "' code action")
  table.insert(result.steps, "code action listed")

  local client = vim.lsp.get_client_by_id(client_id)
  local answer
  client.request("workspace/executeCommand", action.command, function(e, res)
    answer = { err = e, result = res }
  end, bufnr)
  -- While waiting, Neovim serves the server's workspace/applyEdit with its own handler.
  assert(vim.wait(240000, function() return answer ~= nil end, 100), "the translation never finished")
  assert(answer.err == nil, vim.inspect(answer.err))
  result.answer = answer.result
  vim.cmd("silent! wall")
  table.insert(result.steps, "edit applied and written")
end)

if ok then finish("ok") else finish("error", tostring(err)) end
